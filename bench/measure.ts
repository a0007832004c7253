/** Small timing helpers for the benchmark (a benchmark, not a test: it reports, it never fails). */
export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export const time = async <T>(f: () => Promise<T> | T): Promise<{ ms: number; value: T }> => {
  const t0 = now();
  const value = await f();
  return { ms: now() - t0, value };
};

/** Tracks peak RSS while work runs, sampling on a timer. */
export const peakRss = (): { stop(): number } => {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  return { stop: () => { clearInterval(t); return Math.max(peak, process.memoryUsage().rss); } };
};

export const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
