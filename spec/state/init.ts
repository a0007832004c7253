/** The empty state and inode construction. */
import { EMPTY } from './imap.js';
import type { FdEntry, Inode, Mapping, Pin, SpecState, UffdCtx, Vcpu, Vm } from './types.js';
import { setIn } from './update.js';
import { PMap } from './pmap.js';

export const emptyState: SpecState = Object.freeze({
  nextInode: 1,
  vms: PMap.empty<Vm>(),
  fds: PMap.empty<FdEntry>(),
  inodes: PMap.empty<Inode>(),
  maps: PMap.empty<Mapping>(),
  mapped: PMap.empty<true>(),
  uffds: PMap.empty<UffdCtx>(),
  pins: PMap.empty<Pin>(),
  vcpus: PMap.empty<Vcpu>(),
  taskPolicy: null,
});

export type InodeInit = Pick<Inode, 'kind' | 'vm' | 'flags' | 'sizeBytes' | 'sizePages' | 'mmapable' | 'initShared' | 'noDirectMap' | 'writeFlag'>;

/** A fresh inode (no folios, no policy, no bindings: CRE-8, POL-11) with one fd. */
export const addFile = (s: SpecState, fd: number, init: InodeInit, fdEntry: Omit<FdEntry, 'inode'>): SpecState => {
  const id = s.nextInode;
  const ino: Inode = {
    ...init, id, folios: EMPTY, data: EMPTY, attrs: EMPTY, policy: EMPTY, bindings: EMPTY,
    pos: 0n, fdCount: 1, mapCount: 0,
  };
  return {
    ...s,
    nextInode: id + 1,
    inodes: setIn(s.inodes, id, ino),
    fds: setIn(s.fds, fd, { ...fdEntry, inode: id }),
  };
};
