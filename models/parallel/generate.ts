/**
 * Parallel cases for fast-check. One array of (template, lane) items: lane 0 is the prefix, lanes
 * 1–3 the branches, and an op keeps its place among the items of its lane. fast-check shrinks a
 * lane towards 0, which moves an op into the prefix (keeping the order), and drops items, which
 * removes ops — the two shrinks eqc's parallel commands have. Before the items comes the usual VMM
 * prologue (a guest_memfd, or a memfd where the target has no guest_memfd, mapped whole once or
 * twice), so that branches find shared pages to race on. Templates that create something always go
 * to the prefix; a lane keeps its first 4 ops.
 */
import fc from 'fast-check';
import { FALLOC, PAGE_SIZE as P, PROT, UFFD_FEATURE, UFFD_MODE, type Op, type OpKind, type Profile } from '../../spec/vocab/index.js';
import { GenContext, pick, type GenLimits } from '../generate/context.js';
import { template, type Template } from '../generate/template.js';
import { BRANCH_KINDS, branchOpProblem, MAX_BRANCH_OPS, MAX_BRANCHES, type Backing, type ParallelCase } from './case.js';
import { branchTemplates } from './templates.js';

export interface ParallelGenOptions {
  readonly profile: Profile;
  readonly limits: GenLimits;
  /** Op kinds the target cannot issue: never generated (without createGmem the prologue is a memfd). */
  readonly excluded?: ReadonlySet<OpKind>;
  /** Most items (prefix and branch ops together; default 14). */
  readonly maxItems?: number;
  /** Only this backing (the caller skips a guest_memfd-only run where createGmem is excluded). */
  readonly backing?: Backing;
}

export interface CaseTemplate {
  readonly prologue: readonly Template[];
  readonly items: readonly { readonly t: Template; readonly lane: number }[];
}

const gmemArb = (gmemOk: boolean, backing: Backing | undefined): fc.Arbitrary<boolean> => {
  if (backing !== undefined) return fc.constant(backing === 'guest_memfd');
  return gmemOk ? fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) : fc.constant(false);
};

const prologueArb = (gmemOk: boolean, backing: Backing | undefined) => fc.record({
  gmem: gmemArb(gmemOk, backing),
  vmType: fc.nat(),
  pages: fc.integer({ min: 1, max: 3 }),
  maps: fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(2) }),
}).map(({ gmem, vmType, pages, maps }): Template[] => {
  const size = BigInt(pages) * P;
  const file = gmem
    ? [
      template('createVm', (c) => ({ kind: 'createVm', id: c.vms, type: BigInt(c.vmTypes[vmType % c.vmTypes.length] ?? 0) })),
      template('createGmem', (c) => ({ kind: 'createGmem', vm: 0, id: c.fds.length, size, flags: c.gmemFlags, reserved: [0n, 0n, 0n, 0n, 0n, 0n] })),
    ]
    : [template('createMemfd', (c) => ({ kind: 'createMemfd', id: c.fds.length, size }))];
  const mapping = template('mmap', (c): Op => ({ kind: 'mmap', fd: 0, id: c.maps.length, offset: 0n, length: size, prot: BigInt(PROT.READ | PROT.WRITE), shared: true }));
  return [...file, ...Array.from({ length: maps }, () => mapping)];
});

/**
 * Prefix-only items: the uffd a branch registers or resolves with, a store through one mapping
 * (the page has data, and the other mapping still has to fault it in), and an allocation (a folio
 * in the page cache that is not up to date yet: the next fault clears it).
 */
const prefixTemplates = fc.oneof(
  fc.constantFrom(0n, UFFD_FEATURE.MISSING_SHMEM | UFFD_FEATURE.MINOR_SHMEM).map((features) => template('uffdCreate', (c) => ({ kind: 'uffdCreate', id: c.uffds, features }))),
  { weight: 2, arbitrary: fc.record({ n: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }).map(({ n, value }) => template('store', (c) => ({
    kind: 'store', map: pick(n, c.maps.length), offset: 0n, value, onUserfault: 'COPY', fill: 0,
  }))) },
  // The page keeps its folio and data, the mapping loses its PTE: its next access faults (MINOR when registered so).
  fc.nat().map((n) => template('madvise', (c) => ({ kind: 'madvise', map: pick(n, c.maps.length), offset: 0n, length: P, advice: 'DONTNEED' }))),
  fc.constant(template('fallocate', (c) => ({ kind: 'fallocate', fd: 0, mode: FALLOC.KEEP_SIZE, offset: 0n, len: c.fds[0]?.size ?? P }))),
  // A whole mapping registered with the modes a branch's accesses and resolves then meet.
  fc.record({ n: fc.nat(), mode: fc.constantFrom(UFFD_MODE.MISSING, UFFD_MODE.MINOR, UFFD_MODE.MISSING | UFFD_MODE.MINOR) }).map(({ n, mode }) => template('uffdRegister', (c) => {
    const map = pick(n, c.maps.length);
    return { kind: 'uffdRegister', uffd: Math.max(c.uffds - 1, 0), map, offset: 0n, length: c.maps[map]?.length ?? P, mode };
  })),
);

export const caseArb = (o: ParallelGenOptions): fc.Arbitrary<CaseTemplate> => {
  const excluded = o.excluded ?? new Set<OpKind>();
  const branch = branchTemplates(o.profile);
  const usable = (t: Template): boolean => !excluded.has(t.kind);
  const item = fc.oneof(
    { weight: 6, arbitrary: branch.filter(usable) },
    { weight: 3, arbitrary: prefixTemplates.filter(usable) },
  );
  const gmemOk = !excluded.has('createGmem') && !excluded.has('createVm');
  if (o.backing === 'guest_memfd' && !gmemOk) throw new Error('guest_memfd parallel cases asked of a target that cannot create guest_memfd (the caller skips them)');
  return fc.record({
    prologue: prologueArb(gmemOk, o.backing),
    items: fc.array(fc.record({ t: item, lane: fc.integer({ min: 0, max: MAX_BRANCHES }) }), { minLength: 2, maxLength: o.maxItems ?? 14 }),
  });
};

/** Resolves a case template: the prefix in order, then each branch against the state the prefix left. */
export const resolveCase = (t: CaseTemplate, o: ParallelGenOptions): ParallelCase => {
  const p = o.profile;
  const ctx = new GenContext(o.limits, p.caps.nrMemslots, p.caps.vmTypes, p.caps.gmemFlags);
  const prefix: Op[] = [];
  const lanes: Template[][] = Array.from({ length: MAX_BRANCHES }, () => []);
  const toPrefix = (tm: Template): void => {
    const op = tm.resolve(ctx);
    ctx.record(op);
    prefix.push(op);
  };
  t.prologue.forEach(toPrefix);
  for (const { t: tm, lane } of t.items) {
    if (lane === 0 || !BRANCH_KINDS.has(tm.kind)) toPrefix(tm);
    else lanes[lane - 1]!.push(tm);
  }
  const branches = lanes
    .map((l) => l.slice(0, MAX_BRANCH_OPS).map((tm) => tm.resolve(ctx)).filter((op) => branchOpProblem(op) === undefined))
    .filter((b) => b.length > 0);
  return { prefix, branches };
};
