/**
 * The race part of the bug zoo: plausible locking bugs the emulator's parallel engine can switch
 * on (./parallel/). Each one leaves sequential behaviour exactly as it was — an op run alone still
 * does the right thing — and only shows when another branch runs in the window the missing lock
 * should have closed, so only the parallel property (models/parallel/) can kill it. Like the
 * sequential zoo they act on guest_memfd files only. `shortest` is the shortest known parallel
 * counterexample in ops (prefix + branches), worked out by hand; `npm run mutants` reports what
 * shrinking reached.
 */
export interface RaceBugInfo {
  readonly id: string;
  readonly description: string;
  /** The window: which ops race, and the lock the kernel takes that the bug leaves out. */
  readonly window: string;
  /** The catalogue rule (spec/catalogue) the outcome breaks once another branch runs in the window. */
  readonly rule: string;
  /** Profile preset the bug needs (races need the feature the ops belong to). */
  readonly profile: string;
  readonly shortest: number;
}

export const RACE_BUGS = [
  // createVm; G(MI); mmap | punch | store 1; punch; mincore — the store's fault maps the folio the
  // first punch removed; the second punch finds no folio to remove, so the stale PTE survives it and
  // mincore still sees the page resident after both punches ended.
  {
    id: 'race-fault-punch-stale', description: 'a host fault that races a punch maps the folio the punch removed (stale data stays visible)',
    window: 'kvm_gmem_fault_user_mapping drops the folio lock between kvm_gmem_get_folio and installing the PTE, without re-checking folio->mapping; truncate_inode_pages_range removes the folio in between',
    rule: 'FIO-9', profile: 'linux-6.18', shortest: 7,
  },
  // createVm; G(MI); mmap | store 1 @5 | load; load @5 — two faults on the new folio; the load's
  // late clear wipes the store, and the last load, after the store ended, reads 0.
  {
    id: 'race-fault-clear-twice', description: 'two faults on a folio that is not up to date both clear it; the later clear wipes a store made in between',
    window: 'the fault tests folio_test_uptodate, drops the folio lock, then clears the page: another fault clears and maps it, a store lands, the first clear wipes it',
    rule: 'FIO-11', profile: 'linux-6.18', shortest: 6,
  },
  // createVm(1); G(MI); mmap; load | convert(private) ; then load in the first branch succeeds.
  {
    id: 'race-convert-fault-pte', description: 'a conversion to private that races a host fault leaves a host PTE on the private page',
    window: 'the host fault checks shareability without holding filemap_invalidate_lock shared, so the conversion (which holds it exclusive while it zaps host PTEs) runs between the check and the PTE install',
    rule: 'SHR-4', profile: 'conversion-v8', shortest: 6,
  },
  // createVm(1); G(MI, 2P); mmap | convert(0, 2P, private); load(0) | convert(0, 2P, shared); load(P)
  // — the conversions interleave page by page; the loads see one page private and the other shared.
  // Without the lock a fault also races a one-page conversion (found by shrinking, 6 ops):
  // createVm(1); G(MI); mmap | store | convert(private) | store — the second store starts after the
  // conversion ended and succeeds through the PTE the first one installed behind it.
  {
    id: 'race-convert-torn', description: 'two conversions of the same range interleave page by page and leave it half private, half shared',
    window: 'the conversion updates the shareability attribute page by page without filemap_invalidate_lock held exclusive across the range',
    rule: 'SHR-3', profile: 'conversion-v8', shortest: 6,
  },
  // createVm; G(MI); mmap A; mmap B; store(B, 7); uffdCreate; uffdRegister(A, MINOR) | resolve(A, CONTINUE); load(A) | punch
  // — the load starts after the punch ended and reads 7 through the PTE CONTINUE installed.
  // The missing re-check also lets two CONTINUEs of one page both succeed (found by shrinking, 9 ops):
  // createVm; G(MI); mmap; load; uffdCreate; uffdRegister(MINOR); DONTNEED | resolve(CONTINUE) | store(CONTINUE).
  {
    id: 'race-continue-punch', description: 'a UFFDIO_CONTINUE that races a punch installs the folio the punch freed',
    window: 'CONTINUE looks the folio up, drops its lock and installs the PTE later without checking the folio is still in the page cache',
    rule: 'UFD-7', profile: 'uffd-v2', shortest: 9,
  },
  // createVm; G(MI); mmap; uffdCreate; uffdRegister(MISSING) | resolve(COPY 1) | resolve(COPY 2) — both succeed.
  {
    id: 'race-copy-copy', description: 'two UFFDIO_COPY of the same missing page both succeed; one must be EEXIST',
    window: 'the COPY checks for an existing folio only before it allocates and copies, not when it inserts into the page cache (the xarray store replaces instead of failing with EEXIST)',
    rule: 'UFD-6', profile: 'uffd-v2', shortest: 7,
  },
] as const satisfies readonly RaceBugInfo[];

export type RaceBugId = (typeof RACE_BUGS)[number]['id'];
