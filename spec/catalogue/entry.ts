/** One rule of the catalogue: kernel-rules.md ids, plus the generic ones in ./generic-rules.ts. */
export interface CatalogueEntry {
  readonly id: string;
  /** CRE, FIO, MAP, SHR, SLOT, POL, UFD, DMAP, LVL, LIFE, ENV or GEN. */
  readonly domain: string;
  /** e.g. "6.18", "PROP v8", "≥6.19". */
  readonly qualifier: string;
  readonly statement: string;
  /** Release or series status, as kernel-rules.md gives it. */
  readonly status: string;
  /** Observable on the target? (kernel-rules.md §0.2 tags: OBS, Y, Y-ABSENT, NOT-OBS, MN, P, PRIV). */
  readonly t618: string;
  /** Source keys (kernel-rules.md §0.3) or upstream paths. */
  readonly src: string;
}
