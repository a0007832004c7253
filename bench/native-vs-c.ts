/**
 * The same fixed 10,000-op sequence run through the native target and by its generated C program
 * (models/report/repro), timed in the same run. Both do the same syscalls; the ratio is the
 * overhead of the Node-API target and the runner.
 */
export type NativeVsC = { ok: true; ops: number; nativeMs: number; cMs: number } | { ok: false; reason: string };

export const nativeVsC = async (_ops: number): Promise<NativeVsC> => ({ ok: false, reason: 'generated C program not wired yet' });
