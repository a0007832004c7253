/**
 * upstream: mainline as the catalogue describes it (torvalds/linux after the NUMA / pseudo-fs work
 * and the 7.2 ABI changes), with no proposed series switched on.
 */
import type { Profile } from '../vocab/index.js';
import { linux618 } from './linux-6.18.js';

export const upstream: Profile = {
  ...linux618,
  name: 'upstream',
  describes: 'mainline ≥7.2 (S2, S16): inode shared policy, EEXIST bind overlap, unsigned offsets',
  variants: {
    ...linux618.variants,
    bindOverlap: 'EEXIST', // SLOT-7: "KVM guest_memfd changes for 7.2" (S16)
    offset: 'UNSIGNED', // SLOT-6: 7.2 unsigned offset/size (S16)
    polScope: 'INODE', // POL-1: shared policy on the gmem inode since 6.19 (S2, SEED0)
    ilx: 'INODE', // POL-7: 7.2 (S16)
    fsMagic: 'GMEMFS', // guest_memfd pseudo-fs since 6.19 (S2)
    guestPath: 'GMEM', // SLOT-13: gmem-only slots are served from guest_memfd (S1, S15)
  },
};
