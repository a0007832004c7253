/**
 * Test fixtures for the emulator: a linux-6.18 profile written from docs/probe-records/linux-6.18.44-pvm.md (not imported
 * from spec/, which is written independently), variant helpers, and terse op builders.
 */
import type { Op, Outcome, Profile, Variants } from '../../../spec/vocab/index.js';
import { formatOp, formatOutcome, isAllowed } from '../../../spec/vocab/index.js';
import { expect } from 'vitest';
import { SPEC } from '../../../models/spec-api.js';
import { FALLOC, GMEM_FLAG, MEM, PROT } from '../../../spec/vocab/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { PAGE_SIZE } from '../../../spec/vocab/handles.js';

/** The page size (spec/vocab/handles.ts), re-exported for this module's users. */
export const P = PAGE_SIZE;


export const LINUX_618: Profile = {
  name: 'linux-6.18',
  describes: 'Linux 6.18.44 kvm_pvm as recorded in docs/probe-records',
  caps: { guestMemfd: 1, gmemFlags: 3n, gmemFlagsPrivateVm: 1n, vmTypes: [0], memoryAttributes: 0, memoryAttributesDevKvm: 0, preFault: 0, nrMemslots: 32764, maxVcpuIds: 4096, maxVcpus: 1024, addressSpaces: 1 },
  numaNodes: 1,
  features: { conversion: false, uffd: false, noDirectMap: false, write: false },
  variants: {
    uffdPriv: 'SIGBUS', defaultShare: 'INIT_SHARED', dmapGran: 'MAPPING', write: 'NONE', convApi: 'GMEM-ATTR2',
    convContent: 'PRESERVE', convAtomic: 'ALL-OR-NOTHING', convPins: 'EAGAIN', attrMissing: 'INITIAL', bindOverlap: 'EINVAL',
    offset: 'SIGNED618', polScope: 'VMA', polQuery: 'DEFAULT', ilx: 'PGOFF', hugeSplit: 'EAGER', minorZero: 'CONTINUE-ZEROES',
    uffdWp: 'REJECT', uffdCopyEof: 'ENOMEM', reserved: 'IGNORED', nodmapCoco: 'REJECT', vmaExpand: 'ALLOW',
    thpCollapse: 'EINVAL', flagBit2: 'NO_DIRECT_MAP', mmapNoSharedGuest: 'GUEST-ONLY', fsMagic: 'ANON', guestPath: 'UADDR',
    iouringBufMax: '1G',
    shmemUffdEof: 'SHMEM-MFILL', guardFile: 'ALLOW', dioAlign: 'PIN-FIRST',
  },
};

export const withProfile = (
  over: { features?: Partial<Profile['features']>; variants?: Partial<Variants>; caps?: Partial<Profile['caps']>; numaNodes?: number },
  base: Profile = LINUX_618,
): Profile => ({
  ...base,
  name: `${base.name}+test`,
  caps: { ...base.caps, ...over.caps },
  numaNodes: over.numaNodes ?? base.numaNodes,
  features: { ...base.features, ...over.features },
  variants: { ...base.variants, ...over.variants },
});

/** Upstream-ish profile with every series on: uffd, conversion (type 1 VMs), NO_DIRECT_MAP, write(). */
export const SERIES = withProfile({
  features: { conversion: true, uffd: true, noDirectMap: true, write: true },
  variants: { write: 'ONCE', polScope: 'INODE', guestPath: 'GMEM', dmapGran: 'FOLIO-LAZY', bindOverlap: 'EEXIST', offset: 'UNSIGNED' },
  caps: { gmemFlags: 7n, gmemFlagsPrivateVm: 7n, vmTypes: [0, 1] },
});

export const run = async (profile: Profile, ops: readonly Op[], bugs: readonly string[] = [], seed = 1): Promise<Outcome[]> => {
  const t = createEmulator({ profile, seed, bugs });
  const out: Outcome[] = [];
  for (const op of ops) out.push(await t.apply(op));
  await t.close();
  return out;
};

export const MI = GMEM_FLAG.MMAP | GMEM_FLAG.INIT_SHARED;
export const RW = PROT.READ | PROT.WRITE;
export const KEEP = FALLOC.KEEP_SIZE;
export const PUNCH = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE;

export const vm = (id = 0, type = 0): Op => ({ kind: 'createVm', id, type: BigInt(type) });
export const gmem = (id = 0, size = 4n * P, flags: bigint = MI, v = 0, reserved: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n]): Op =>
  ({ kind: 'createGmem', vm: v, id, size, flags, reserved });
export const mmap = (id = 0, fd = 0, length = 4n * P, offset = 0n, prot = RW, shared = true): Op =>
  ({ kind: 'mmap', fd, id, offset, length, prot: BigInt(prot), shared });
/** mmapEx with a whole flags word (bigint) over map `over` (or anywhere). */
export const mmapEx = (id: number, flags: bigint, over?: number, length = 4n * P, fd = 0): Op =>
  ({ kind: 'mmapEx', fd, id, offset: 0n, length, prot: BigInt(RW), flags, place: over === undefined ? { kind: 'any' } : { kind: 'over', map: over } });
export const load = (map: number, offset: bigint, onUserfault: 'COPY' | 'CONTINUE' | 'ZEROPAGE' = 'COPY', fill = 0x5a): Op =>
  ({ kind: 'load', map, offset, onUserfault, fill });
export const store = (map: number, offset: bigint, value: number, onUserfault: 'COPY' | 'CONTINUE' | 'ZEROPAGE' = 'COPY', fill = 0x5a): Op =>
  ({ kind: 'store', map, offset, value, onUserfault, fill });
export const falloc = (fd: number, mode: number, offset: bigint, len: bigint): Op => ({ kind: 'fallocate', fd, mode, offset, len });
export const slot = (
  v: number, s: number, gpa: bigint, size: bigint, fd: number, gmemOffset = 0n,
  uaddr: Extract<Op, { kind: 'setMemoryRegion' }>['uaddr'] = { kind: 'null' },
): Op => ({ kind: 'setMemoryRegion', vm: v, v1: false, slot: s, flags: MEM.GUEST_MEMFD, gpa, size, uaddr, gmem: { kind: 'fd', fd }, gmemOffset });

export const okv = (value?: unknown): Outcome => (value === undefined ? { kind: 'ok' } : ({ kind: 'ok', value } as Outcome));
export const errno = (e: string): Outcome => ({ kind: 'errno', errno: e } as Outcome);
export const bus = (offset: bigint): Outcome => ({ kind: 'signal', signal: 'SIGBUS', code: 'BUS_ADRERR', offset });
/** A load's outcome. */
export const lv = (value: number): Outcome => ({ kind: 'ok', value: { value } });

/** Runs the ops on the emulator, checks each outcome against the spec (the same profile), and returns the outcomes. */
export const judged = async (p: Profile, ops: readonly Op[]): Promise<Outcome[]> => {
  const got = await run(p, ops);
  let s = SPEC.initialState(p);
  ops.forEach((op, i) => {
    const v = SPEC.step(p, s, op);
    expect(isAllowed(got[i]!, v.allowed), `step ${i + 1} ${formatOp(op)}: got ${formatOutcome(got[i]!)} [${v.rules.join(', ')}]`).toBe(true);
    s = v.next(got[i]!);
  });
  return got;
};
