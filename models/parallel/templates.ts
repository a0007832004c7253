/**
 * Branch op templates: each aims at one page — mostly the file's hot page (the page the prefix
 * touched first), through any mapping of it — so that branches meet where races happen: a fault
 * and a punch of the same folio, a conversion and a fault, two resolves of one missing page.
 * Ranges are one page (see ./case.ts why); accesses hit the first bytes of the page.
 */
import fc from 'fast-check';
import { FALLOC, MPOL, MPOL_MF, PAGE_SIZE as P, UFFD_MODE, type Profile, type UffdResolveHow } from '../../spec/vocab/index.js';
import { hotInMap, pick, type GenContext } from '../generate/context.js';
import { template, type Template } from '../generate/template.js';

const aimArb = fc.record({
  n: fc.nat(),
  hot: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  page: fc.nat(3),
});
type Aim = typeof aimArb extends fc.Arbitrary<infer T> ? T : never;

/** A page of a mapping: the hot page through the n-th mapping that covers it, else page `page % pages` of mapping n. */
const inMap = (c: GenContext, a: Aim): { map: number; offset: bigint } => {
  const h = a.hot ? hotInMap(c, a.n) : undefined;
  if (h) return { map: h.map, offset: h.offset - (h.offset % P) };
  const map = pick(a.n, c.maps.length);
  const pages = Number((c.maps[map]?.length ?? P) / P) || 1;
  return { map, offset: BigInt(a.page % pages) * P };
};

/** A page of a file: the hot page of fd n, else page `page % pages`. */
const inFile = (c: GenContext, a: Aim): { fd: number; offset: bigint } => {
  const fd = pick(a.n, c.fds.length);
  const h = a.hot ? c.hotOf(fd) : undefined;
  if (h) return { fd, offset: h.page * P };
  const pages = Number((c.fds[fd]?.size ?? P) / P) || 1;
  return { fd, offset: BigInt(a.page % pages) * P };
};

const small = fc.constantFrom(0n, 1n, 5n);
/** How a userfault is answered: `fit` follows the map's registration (MINOR → CONTINUE, MISSING → COPY), else as drawn. */
const how = fc.record({ fit: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), how: fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const) });
type How = typeof how extends fc.Arbitrary<infer T> ? T : never;
const howFor = (c: GenContext, map: number, h: How): UffdResolveHow => {
  const mode = c.uffdModes.get(map);
  if (!h.fit || mode === undefined) return h.how;
  if ((mode & UFFD_MODE.MINOR) !== 0n && (mode & UFFD_MODE.MISSING) === 0n) return 'CONTINUE';
  if ((mode & UFFD_MODE.MISSING) !== 0n && (mode & UFFD_MODE.MINOR) === 0n) return h.how === 'CONTINUE' ? 'COPY' : h.how;
  return h.how;
};
const fill = fc.constantFrom(0, 0xaa, 0x55);
const value = fc.integer({ min: 1, max: 255 });

const convertTemplate = (profile: Profile) => (
  { weight: 3, arbitrary: fc.record({ a: aimArb, pages: fc.constantFrom(1, 1, 2), toPrivate: fc.boolean() }).map(({ a, pages, toPrivate }) => template('convert', (c) => {
    const at = inFile(c, a);
    const size = c.fds[at.fd]?.size ?? P;
    const len = at.offset + BigInt(pages) * P <= size ? BigInt(pages) * P : P;
    const api = profile.variants.convApi === 'GMEM-CONVERT' ? 'GMEM-CONVERT' : 'GMEM-ATTR2';
    return { kind: 'convert', fd: at.fd, api, offset: at.offset, len, toPrivate, errorOffsetIn: 0n };
  })) }
);

/**
 * Weighted branch templates. The profile names the conversion ioctl; without conversion support
 * every conversion is ENOTTY, an op that races nothing, so none is drawn then.
 */
export const branchTemplates = (profile: Profile): fc.Arbitrary<Template> => fc.oneof(
  { weight: 8, arbitrary: fc.record({ a: aimArb, byte: small, how, fill }).map(({ a, byte, how, fill }) => template('load', (c) => {
    const at = inMap(c, a);
    return { kind: 'load', map: at.map, offset: at.offset + byte, onUserfault: howFor(c, at.map, how), fill };
  })) },
  { weight: 8, arbitrary: fc.record({ a: aimArb, byte: small, value, how, fill }).map(({ a, byte, value, how, fill }) => template('store', (c) => {
    const at = inMap(c, a);
    return { kind: 'store', map: at.map, offset: at.offset + byte, value, onUserfault: howFor(c, at.map, how), fill };
  })) },
  { weight: 6, arbitrary: fc.record({ a: aimArb, punch: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }).map(({ a, punch }) => template('fallocate', (c) => {
    const at = inFile(c, a);
    return { kind: 'fallocate', fd: at.fd, mode: punch ? FALLOC.PUNCH_HOLE | FALLOC.KEEP_SIZE : FALLOC.KEEP_SIZE, offset: at.offset, len: P };
  })) },
  { weight: 3, arbitrary: fc.record({ a: aimArb, advice: fc.constantFrom('DONTNEED', 'DONTNEED', 'REMOVE', 'REMOVE', 'POPULATE_WRITE', 'POPULATE_READ' as const) }).map(({ a, advice }) => template('madvise', (c) => ({
    kind: 'madvise', ...inMap(c, a), length: P, advice,
  }))) },
  { weight: 1, arbitrary: aimArb.map((a) => template('mincore', (c) => ({ kind: 'mincore', ...inMap(c, a), pages: 1 }))) },
  { weight: 1, arbitrary: fc.record({ a: aimArb, byte: small, write: fc.boolean(), value }).map(({ a, byte, write, value }) => template('kernelAccess', (c) => {
    const at = inMap(c, a);
    return { kind: 'kernelAccess', map: at.map, offset: at.offset + byte, len: 1, call: write ? 'process_vm_writev' : 'process_vm_readv', value };
  })) },
  { weight: 1, arbitrary: fc.record({ a: aimArb, byte: small, write: fc.boolean(), value }).map(({ a, byte, write, value }) => template('fileIo', (c) => {
    const at = inFile(c, a);
    return { kind: 'fileIo', fd: at.fd, call: write ? 'pwrite' : 'pread', offset: at.offset + byte, len: 1, value };
  })) },
  { weight: 1, arbitrary: fc.nat().map((n) => template('fstat', (c) => ({ kind: 'fstat', fd: pick(n, c.fds.length) }))) },
  { weight: 1, arbitrary: fc.record({ a: aimArb, mode: fc.constantFrom(MPOL.BIND, MPOL.PREFERRED, MPOL.DEFAULT, MPOL.INTERLEAVE).map(BigInt), strict: fc.constantFrom(0, MPOL_MF.STRICT, MPOL_MF.STRICT | MPOL_MF.MOVE) }).map(({ a, mode, strict }) => template('mbind', (c) => ({
    kind: 'mbind', ...inMap(c, a), length: P, mode, nodes: mode === BigInt(MPOL.DEFAULT) ? 0n : 1n, flags: strict,
  }))) },
  { weight: 1, arbitrary: fc.record({ a: aimArb, node: fc.boolean() }).map(({ a, node }) => template('getMempolicy', (c) => ({
    kind: 'getMempolicy', ...inMap(c, a), query: node ? 'ADDR_NODE' : 'ADDR',
  }))) },
  { weight: 2, arbitrary: fc.record({ u: fc.nat(), a: aimArb, mode: fc.constantFrom(UFFD_MODE.MISSING, UFFD_MODE.MINOR, UFFD_MODE.MISSING | UFFD_MODE.MINOR) }).map(({ u, a, mode }) => template('uffdRegister', (c) => ({
    kind: 'uffdRegister', uffd: pick(u, c.uffds), ...inMap(c, a), length: P, mode,
  }))) },
  { weight: 3, arbitrary: fc.record({ u: fc.nat(), a: aimArb, how, fill }).map(({ u, a, how, fill }) => template('uffdResolve', (c) => {
    const at = inMap(c, a);
    return { kind: 'uffdResolve', uffd: pick(u, c.uffds), how: howFor(c, at.map, how), ...at, length: P, fill };
  })) },

  ...(profile.features.conversion ? [convertTemplate(profile)] : []),
);
