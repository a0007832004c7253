/** What a file's creation flags mean under a profile (spec/vocab/uapi.ts, CRE-13, SHR-10). */
import { GMEM_FLAG, VM_TYPE, type Profile } from '../vocab/index.js';
import { gmemFlagsFor } from './caps.js';

export interface FlagMeaning {
  readonly mmapable: boolean;
  readonly initShared: boolean;
  readonly noDirectMap: boolean;
  readonly writeFlag: boolean;
}

const has = (flags: bigint, bit: bigint): boolean => (flags & bit) !== 0n;

/**
 * Bit 0 is MMAP (RFC v2: SUPPORT_SHARED). Bit 1 is INIT_SHARED, or, under P-DEFAULT-SHARE
 * INIT_PRIVATE, the opposite default (SHR-10). Bit 2's meaning is P-FLAG-BIT2 (CRE-13).
 */
export const flagMeaning = (p: Profile, flags: bigint): FlagMeaning => {
  const b0 = has(flags, GMEM_FLAG.MMAP);
  const b1 = has(flags, GMEM_FLAG.INIT_SHARED);
  const b2 = has(flags, GMEM_FLAG.BIT2);
  return {
    mmapable: b0,
    initShared: p.variants.defaultShare === 'INIT_PRIVATE' ? b0 && !b1 : b1,
    noDirectMap: b2 && p.features.noDirectMap && p.variants.flagBit2 === 'NO_DIRECT_MAP',
    writeFlag: b2 && p.variants.flagBit2 === 'WRITE',
  };
};

/**
 * The flag set creation accepts on a VM of `type`: cap 244 for that type (CRE-2, CRE-12), minus
 * NO_DIRECT_MAP on SNP/TDX unless P-NODMAP-COCO allows it (DMAP-2).
 */
export const validFlags = (p: Profile, type: number): bigint => {
  let v = gmemFlagsFor(p, type);
  const coco = type === VM_TYPE.SNP || type === VM_TYPE.TDX;
  if (coco && p.variants.flagBit2 === 'NO_DIRECT_MAP' && p.variants.nodmapCoco === 'REJECT') v &= ~GMEM_FLAG.BIT2;
  return v;
};
