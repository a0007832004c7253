/**
 * The kernel locks the parallel engine models, by name: `mm` (the process's mmap_lock), `inval:<ino>`
 * (a file's filemap_invalidate_lock), `folio:<ino>:<page>` (a page-cache folio's lock) and
 * `slots:<vm>` (kvm->slots_lock). Reader-writer; a task never waits on a lock it holds. Only
 * acquisition is a scheduling point; release is immediate.
 */
export type LockMode = 'R' | 'W';

export interface Lock {
  readonly key: string;
  readonly mode: LockMode;
}

export const mmLock = (mode: LockMode): Lock => ({ key: 'mm', mode });
export const invalLock = (ino: number, mode: LockMode): Lock => ({ key: `inval:${ino}`, mode });
export const folioLock = (ino: number, page: number): Lock => ({ key: `folio:${ino}:${page}`, mode: 'W' });
export const slotsLock = (vm: number): Lock => ({ key: `slots:${vm}`, mode: 'W' });

interface Held {
  mode: LockMode;
  /** Task → how many times it took the lock (a task may take a read lock it holds again). */
  readonly owners: Map<number, number>;
}

export class Locks {
  private readonly held = new Map<string, Held>();

  /** Could `task` take every lock in `ls` now? */
  can(ls: readonly Lock[], task: number): boolean {
    return ls.every((l) => {
      const h = this.held.get(l.key);
      if (h === undefined) return true;
      const mine = h.owners.size === 1 && h.owners.has(task);
      return mine || (h.mode === 'R' && l.mode === 'R');
    });
  }

  take(ls: readonly Lock[], task: number): void {
    for (const l of ls) {
      const h = this.held.get(l.key);
      if (h === undefined) this.held.set(l.key, { mode: l.mode, owners: new Map([[task, 1]]) });
      else {
        h.owners.set(task, (h.owners.get(task) ?? 0) + 1);
        if (l.mode === 'W') h.mode = 'W';
      }
    }
  }

  release(key: string, task: number): void {
    const h = this.held.get(key);
    const n = h?.owners.get(task);
    if (h === undefined || n === undefined) return;
    if (n > 1) h.owners.set(task, n - 1);
    else h.owners.delete(task);
    if (h.owners.size === 0) this.held.delete(key);
  }

  releaseAll(task: number): void {
    for (const [key, h] of [...this.held]) {
      h.owners.delete(task);
      if (h.owners.size === 0) this.held.delete(key);
    }
  }

  /** Locks still held (a task that ended holding one is an engine bug). */
  heldKeys(): string[] {
    return [...this.held.keys()];
  }
}
