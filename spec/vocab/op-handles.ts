/**
 * Handle bookkeeping derived from the op declarations (./ops.ts): which handle an op creates,
 * which it uses (nested ones too: a memslot's guest_memfd and userspace_addr), and the file pages
 * it touches. The minimiser, the same-page suspects of a report and the generator read these
 * instead of knowing op kinds.
 */
import type { Field, Fields, HandleClass } from './field.js';
import { declOf, type Footprint, type Op } from './ops.js';

type Obj = Readonly<Record<string, unknown>>;

/** The handle an op creates, if it is a creation. */
export const createdBy = (op: Op): { readonly cls: HandleClass; readonly id: number; readonly sameAs?: number } | undefined => {
  const d = declOf(op.kind);
  for (const [k, f] of Object.entries(d.fields)) {
    if (f.type.abi !== 'handle' || !f.type.creates) continue;
    const id = (op as Obj)[k] as number;
    const same = d.sameFileAs === undefined ? undefined : ((op as Obj)[d.sameFileAs] as number);
    return same === undefined ? { cls: f.type.cls, id } : { cls: f.type.cls, id, sameAs: same };
  }
  return undefined;
};

/** The handle an op releases when it succeeds (close, closeVm, munmap), as declared. */
export const releasedBy = (op: Op): { readonly cls: HandleClass; readonly id: number } | undefined => {
  for (const [k, f] of Object.entries(declOf(op.kind).fields)) {
    if (f.type.abi === 'handle' && f.type.releases) return { cls: f.type.cls, id: (op as Obj)[k] as number };
  }
  return undefined;
};

/** The file pages an op touches, as declared (undefined when it touches none). */
export const footprintOf = (op: Op): Footprint | undefined => declOf(op.kind).footprint?.(op as never);

/**
 * `shift(map, offset)` adjusts an offset into a mapping whose handle is being rewritten (the
 * minimiser keeps addressing the same file page); undefined rejects the whole rewrite.
 */
export type OffsetShift = (map: number, offset: bigint) => bigint | undefined;

const rewriteObject = (v: Obj, fields: Fields, cls: HandleClass, f: (h: number) => number, shift?: OffsetShift, created = true): Obj | undefined => {
  const out: Record<string, unknown> = { ...v };
  let mapField: string | undefined;
  for (const [k, field] of Object.entries(fields)) {
    const r = rewriteValue(v[k], field, cls, f, shift, created);
    if (r === REJECT) return undefined;
    out[k] = r;
    if (field.type.abi === 'handle' && !field.type.creates && field.type.cls === 'map') mapField = k;
  }
  if (shift !== undefined && cls === 'map' && mapField !== undefined) {
    for (const [k, field] of Object.entries(fields)) {
      if (!field.inMap) continue;
      const o = shift(v[mapField] as number, v[k] as bigint);
      if (o === undefined) return undefined;
      out[k] = o;
    }
  }
  return out;
};

const REJECT = Symbol('reject');

const rewriteValue = (v: unknown, field: Field<unknown>, cls: HandleClass, f: (h: number) => number, shift: OffsetShift | undefined, created: boolean): unknown => {
  const t = field.type;
  if (t.abi === 'handle') return t.cls === cls && typeof v === 'number' && (created || !t.creates) ? f(v) : v;
  if (t.abi === 'nullable') return v === null ? v : rewriteValue(v, t.inner, cls, f, shift, created);
  if (t.abi === 'variant') {
    const fields = t.variants[(v as Obj).kind as string];
    if (fields === undefined) return v;
    return rewriteObject(v as Obj, fields, cls, f, shift, created) ?? REJECT;
  }
  return v;
};

/**
 * The op with every handle of class `cls` — used or created — passed through `f`, or undefined
 * when `shift` rejected a map offset.
 */
export const rewriteHandles = (op: Op, cls: HandleClass, f: (h: number) => number, shift?: OffsetShift): Op | undefined =>
  rewriteObject(op as Obj, declOf(op.kind).fields, cls, f, shift) as Op | undefined;

/** Does `op` use handle `h` of class `cls` (its own creation does not count)? */
export const usesHandle = (op: Op, cls: HandleClass, h: number): boolean => {
  let hit = false;
  rewriteObject(op as Obj, declOf(op.kind).fields, cls, (x) => {
    if (x === h) hit = true;
    return x;
  }, undefined, false);
  return hit;
};
