/**
 * Which ancestors' death stops the VM. Started through npm (npx, npm run: `npm_command` is set),
 * gmemcheck vm is the child of npm's `sh -c`, itself a child of npm. Killing npm with SIGTERM
 * kills the shell, which does not pass the signal on; killing it with SIGKILL leaves the shell
 * waiting. Either way gmemcheck vm would run on, with its VM, until the command ended: so it
 * watches its parent and grandparent and stops the VM when one of them is gone. Started any other
 * way (a shell, nohup, setsid) nothing is watched, so a deliberately detached run is left alone.
 */
import { readFileSync } from 'node:fs';

/** A process's parent pid and state from /proc/PID/stat, or undefined when it is gone. */
const stat = (pid: number): { ppid: number; state: string } | undefined => {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state: state ?? '' };
  } catch {
    return undefined;
  }
};

/** The pids to watch: parent and grandparent under npm (never pid 1 or 0), else none. */
export const watchedAncestors = (env: NodeJS.ProcessEnv, ppid: number): number[] => {
  if (env['npm_command'] === undefined) return [];
  const gp = stat(ppid)?.ppid;
  return [ppid, gp].filter((p): p is number => p !== undefined && p > 1);
};

/** The first watched pid that is gone (exited, or a zombie not yet reaped), or undefined. */
export const goneAncestor = (pids: readonly number[]): number | undefined =>
  pids.find((p) => {
    const s = stat(p);
    return s === undefined || s.state === 'Z' || s.state === 'X';
  });
