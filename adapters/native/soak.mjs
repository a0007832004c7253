#!/usr/bin/env node
/**
 * Soak test of the native target: N random vocabulary ops (default 200000) across many
 * short-lived target instances, at least 10 % of them faulting accesses (private-only and
 * past-EOF gmem loads). Prints open fds (/proc/self/fd) and RSS at start and end; exits 1 if the
 * fd count grew. Allocations stay small: fallocate ≤ 64 pages, files ≤ 64 pages, mmap ≤ 1 GiB.
 *
 *   node adapters/native/soak.mjs [ops] [--seed N] [--per-instance K]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import seedrandom from 'seedrandom';

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : dflt;
};
const seed = flag('--seed', 1);
const perInstance = flag('--per-instance', 250);
const total = Number(args[0] ?? 200_000);

const { createNativeTarget, nativeAvailable, settleClosing } = await tsImport('./index.ts', import.meta.url);
// Page size, enum names and the codec come from the op declarations (spec/vocab), like every other consumer.
const { PAGE_SIZE: P, MADV, FILE_IO_CALL, KERNEL_ACCESS_CALL, UFFD_RESOLVE, CONVERT_API, MEMPOLICY_QUERY, stringify } =
  await tsImport('../../spec/vocab/index.ts', import.meta.url);
const names = (table) => Object.keys(table);
const avail = nativeAvailable();
if (!avail.ok) {
  console.log(`soak skipped: ${avail.reason}`);
  process.exit(0);
}

const rng = seedrandom(String(seed));
const int = (n) => Math.floor(rng() * n);
const pick = (xs) => xs[int(xs.length)];
const pages = (max) => BigInt(1 + int(max)) * P;
// VM fds of closed targets are closed by the addon's closer thread: count after it is done.
const fds = () => {
  settleClosing();
  return readdirSync('/proc/self/fd').length;
};
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);

/** One instance's handle counters; ops name existing, dead and never-created handles alike. */
const fresh = () => ({ vm: 0, fd: 0, map: 0, uffd: 0 });
const any = (n) => int(n + 1);

/** A userfault round trip on a fresh memfd mapping: the uffd machinery under load. */
const uffdBurst = (h) => {
  const fd = h.fd++, map = h.map++, uffd = h.uffd++, minor = int(2) === 0;
  const ops = [
    { kind: 'createMemfd', id: fd, size: 4n * P },
    { kind: 'mmap', fd, id: map, offset: 0n, length: 4n * P, prot: 3, shared: true },
    { kind: 'uffdCreate', id: uffd, features: (1 << 5) | (1 << 10) },
    { kind: 'uffdRegister', uffd, map, offset: 0n, length: 4n * P, mode: minor ? 4 : 1 },
  ];
  if (minor) ops.push({ kind: 'kernelAccess', map, offset: P, len: 8, call: 'process_vm_writev', value: 9 });
  for (let i = 0; i < 4; i++) {
    const how = minor ? pick(['CONTINUE', 'CONTINUE', 'COPY']) : pick(names(UFFD_RESOLVE));
    const at = { map, offset: BigInt(int(4 * 4096)), onUserfault: how, fill: int(256) };
    ops.push(int(2) ? { kind: 'load', ...at } : { kind: 'store', ...at, value: 1 });
  }
  return ops;
};

const randomOps = (h) => {
  if (int(100) < 2) return uffdBurst(h);
  return [randomOp(h)];
};

const randomOp = (h) => {
  const r = int(100);
  const how = pick(names(UFFD_RESOLVE));
  if (h.vm === 0 || r < 2) return { kind: 'createVm', id: h.vm++, type: int(10) < 9 ? 0 : int(6) };
  if (h.fd === 0 || r < 10) {
    return int(4) === 0
      ? { kind: 'createMemfd', id: h.fd++, size: pages(16) }
      : { kind: 'createGmem', vm: any(h.vm - 1), id: h.fd++, size: pages(16), flags: BigInt(pick([0, 1, 3, 3, 3, 2, 4])), reserved: int(8) ? [] : [1n] };
  }
  if (h.map === 0 || r < 18) {
    const length = int(50) === 0 ? 1n << 30n : pages(16);
    return { kind: 'mmap', fd: any(h.fd - 1), id: h.map++, offset: int(5) ? 0n : pages(32), length, prot: pick([3, 3, 1, 0]), shared: int(10) > 0 };
  }
  // Faulting accesses: anywhere in a map of a 1..16-page file, often past EOF or on private memory.
  if (r < 40) return { kind: 'load', map: any(h.map - 1), offset: BigInt(int(64 * 4096)), onUserfault: how, fill: int(256) };
  if (r < 48) return { kind: 'store', map: any(h.map - 1), offset: BigInt(int(20 * 4096)), value: int(256), onUserfault: how, fill: int(256) };
  const fd = any(h.fd - 1), map = any(h.map - 1), vm = any(h.vm - 1);
  return pick([
    () => ({ kind: 'closeVm', vm }),
    () => ({ kind: 'checkExtension', vm: int(2) ? null : vm, cap: pick([231, 233, 235, 244, 10]) }),
    () => ({ kind: 'close', fd }),
    () => ({ kind: 'dup', fd, id: h.fd++ }),
    () => ({ kind: 'fstat', fd }),
    () => ({ kind: 'fdFlags', fd }),
    () => ({ kind: 'sameInode', fd, other: any(h.fd - 1) }),
    () => ({ kind: 'fileIo', fd, call: pick(names(FILE_IO_CALL)), offset: BigInt(int(8192)), len: int(64), value: int(256) }),
    () => ({ kind: 'ftruncate', fd, size: pages(16) }),
    () => ({ kind: 'fallocate', fd, mode: pick([0, 1, 3, 3, 0x10]), offset: pages(16) - P, len: pages(64) }),
    () => ({ kind: 'munmap', map }),
    () => ({ kind: 'mprotect', map, prot: pick([0, 1, 3, 7]) }),
    () => ({ kind: 'madvise', map, offset: pages(8) - P, length: pages(8), advice: pick(names(MADV)) }),
    () => ({ kind: 'kernelAccess', map, offset: BigInt(int(8192)), len: 1 + int(64), call: pick(names(KERNEL_ACCESS_CALL)), value: int(256) }),
    () => ({ kind: 'mincore', map, offset: pages(8) - P, pages: 1 + int(8) }),
    () => ({
      kind: 'setMemoryRegion', vm, v1: int(8) === 0, slot: int(4), flags: pick([0, 4, 4, 6]), gpa: pages(16) * 0x100n, size: int(6) ? pages(4) : 0n,
      uaddr: pick([{ kind: 'null' }, { kind: 'unaligned' }, { kind: 'map', map, offset: 0n }]),
      gmem: pick([{ kind: 'fd', fd }, { kind: 'fd', fd }, { kind: 'vmFd', vm }, { kind: 'kvmFd' }, { kind: 'notOpen' }]), gmemOffset: pages(4) - P,
    }),
    () => ({ kind: 'mbind', map, offset: 0n, length: pages(4), mode: pick([0, 1, 2, 3, 4]), nodes: pick([0, 1]), flags: pick([0, 1, 2]) }),
    () => ({ kind: 'getMempolicy', map, offset: pages(4) - P, query: pick(names(MEMPOLICY_QUERY)) }),
    () => ({ kind: 'setMempolicy', mode: pick([0, 1, 2, 4]), nodes: pick([0, 1]) }),
    () => ({ kind: 'uffdCreate', id: h.uffd++, features: pick([0, (1 << 5) | (1 << 10)]) }),
    () => ({ kind: 'uffdRegister', uffd: any(h.uffd), map, offset: 0n, length: pages(4), mode: pick([1, 4, 5, 2]) }),
    () => ({ kind: 'uffdResolve', uffd: any(h.uffd), how, map, offset: pages(4) - P, length: P, fill: int(256) }),
    () => ({ kind: 'convert', fd, api: pick(names(CONVERT_API)), offset: 0n, len: P, toPrivate: int(2) === 0 }),
    () => ({ kind: 'setMemoryAttributes', vm, gpa: 0n, size: P, attributes: 8n }),
  ])();
};

const start = { fds: fds(), rssKiB: rssKiB() };
const kinds = new Map();
let faults = 0, faultNs = 0n, instances = 0, done = 0;
/** After the first 10 % of ops: JIT and heap warm-up is over, so later growth would be a leak. */
let warm;
const t0 = process.hrtime.bigint();
while (done < total) {
  const t = await createNativeTarget();
  instances++;
  const h = fresh();
  const history = []; // ops and their outcomes
  for (let i = 0; i < perInstance && done < total; i++, done++) {
    for (const op of randomOps(h)) {
      history.push(op);
      const a = process.hrtime.bigint();
      const o = await t.apply(op).catch((e) => {
        // A harness error: print this instance's ops so that the sequence can be replayed.
        console.log(`${e.name}: ${e.message}\nops and outcomes of this instance so far:`);
        for (const x of history) console.log(' ', stringify(x));
        process.exit(2);
      });
      history.push(o);
      const k = `${op.kind}:${o.kind}`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
      if (o.kind === 'signal') {
        faults++;
        faultNs += process.hrtime.bigint() - a;
      }
    }
  }
  await t.close();
  if (warm === undefined && done >= total / 10) warm = { fds: fds(), rssKiB: rssKiB() };
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
globalThis.gc?.();
const end = { fds: fds(), rssKiB: rssKiB() };
console.log(JSON.stringify({
  seed, ops: done, instances, seconds: Number(secs.toFixed(2)), opsPerSec: Math.round(done / secs),
  faultingAccesses: faults, faultNsEach: faults ? Math.round(Number(faultNs) / faults) : null,
  start, afterFirstTenth: warm, end, outcomes: Object.fromEntries([...kinds].sort()),
}, null, 1));
if (faults < Math.min(10_000, total / 20)) console.log(`WARNING: only ${faults} faulting accesses`);
if (end.fds > start.fds) {
  console.log(`FAIL: open fds grew from ${start.fds} to ${end.fds}`);
  process.exit(1);
}
console.log(`soak ok: fds ${start.fds} → ${end.fds}, RSS ${start.rssKiB} → ${warm?.rssKiB} (after 10 %) → ${end.rssKiB} KiB`);
