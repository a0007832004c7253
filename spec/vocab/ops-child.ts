/**
 * The forked child (issue 15; docs/kernel-surface.md rows A07, D10, D11, F06, K06): fork(), then
 * one action in the child on the state it inherited, its outcome carried back to the parent as the
 * op's outcome. Declared here and spread into ./ops.ts's OPS, so this family grows without touching
 * the other families' lines.
 *
 * What the child may do is one plain syscall or one byte access: a target forks from a
 * multi-threaded process, so the child runs only async-signal-safe code and exits. The wait for it
 * is bounded (a target kills a child that does not finish and reports harness breakage).
 */
import { byte, handle, i64, int, mapOffset, variant, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';
import { FALLOC } from './uapi.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');
const map = handle('map');
const vm = handle('vm');

/** The capability the child's VM ioctl asks about (KVM_CAP_USER_MEMORY: 1 on every VM that answers). */
export const CHILD_VM_IOCTL_CAP = 3;

/**
 * One action of the child: a one-byte load or store at a map offset (the child's own page tables,
 * the parent's VMAs), fallocate or ftruncate on an inherited fd, KVM_CHECK_EXTENSION on an
 * inherited VM fd.
 */
const childAct = variant({
  load: { map, offset: mapOffset() },
  store: { map, offset: mapOffset(), value: byte() },
  fallocate: { fd, mode: int({ bits: FALLOC }), offset: i64(), len: i64() },
  ftruncate: { fd, size: i64() },
  vmIoctl: { vm },
});

export const CHILD_OPS = {
  child: decl({
    doc: 'fork(), then one action in the child (a load/store through a map, fallocate/ftruncate on an fd, KVM_CHECK_EXTENSION on a VM fd): the child\'s outcome — ok { value } for a load, ok (the ioctl\'s number) for vmIoctl, ok otherwise, or its errno or signal',
    fields: { act: childAct },
    footprint: (o): Footprint | undefined => {
      const a = o.act;
      if (a.kind === 'load' || a.kind === 'store') return { map: a.map, offset: a.offset, len: 1n };
      if (a.kind === 'fallocate') return { fd: a.fd, offset: a.offset, len: a.len };
      if (a.kind === 'ftruncate') return { fd: a.fd, offset: a.size, len: 1n << 62n };
      return undefined;
    },
  }),
} as const;
