/**
 * What the generator remembers while it resolves a sequence: the handles created so far and the
 * parameters they were created with (requested size, mapping length and file offset). This is
 * bookkeeping about the *requests*, not kernel semantics: it only biases offsets towards edges
 * (0, last page, EOF, past EOF) and keeps handle references valid under shrinking.
 */
import { createdBy, footprintOf, UFFD_FEATURE, UFFD_MODE, type Op } from '../../spec/vocab/index.js';

/** A file request; `file` identifies the file (a dup shares it); `vm` is the VM a guest_memfd was created on. */
export interface FdInfo { readonly file: number; readonly size: bigint; readonly gmem: boolean; readonly vm?: number }
export interface MapInfo { readonly fd: number; readonly length: bigint; readonly fileOffset: bigint; readonly fdSize: bigint }
/** A file page: the fd handle and the page index in the file. */
export interface HotSpot { readonly fd: number; readonly page: bigint }
/** A memslot request; `vmmLayout` when userspace_addr is the bound gmem's own mapping at the bound offset. */
export interface SlotInfo { readonly vm: number; readonly gpa: bigint; readonly size: bigint; readonly vmmLayout: boolean }

/** Limits that keep a real kernel safe (no multi-GiB allocations, no huge memslot metadata). */
export interface GenLimits {
  /** Longest allocating fallocate / populate / uffd fill, in pages. */
  readonly maxAllocPages: number;
  /** Longest mapping, in bytes. */
  readonly maxMapBytes: bigint;
  /** Largest memslot, in pages (shadow paging allocates rmaps eagerly). */
  readonly maxSlotPages: number;
}

// The emulator keeps allocated folios per page (as the kernel does), so allocation stays bounded here too.
export const EMULATOR_LIMITS: GenLimits = { maxAllocPages: 4096, maxMapBytes: 1n << 41n, maxSlotPages: 1 << 20 };
export const NATIVE_LIMITS: GenLimits = { maxAllocPages: 64, maxMapBytes: 1n << 30n, maxSlotPages: 1024 };

export class GenContext {
  vms = 0;
  uffds = 0;
  pins = 0;
  vcpus = 0;
  readonly fds: FdInfo[] = [];
  readonly maps: MapInfo[] = [];
  readonly slots: SlotInfo[] = [];
  /** The last memslot request, so a later step can re-issue or delete exactly that slot (SLOT-9, SLOT-10). */
  lastRegion: Extract<Op, { kind: 'setMemoryRegion' }> | undefined;
  /**
   * Per file, the page the first file- or map-relative op on it addressed: its hot page. Bugs show
   * where ops meet on one page (a store, a punch, a load; an mbind through one mapping and a query
   * through another), so templates can aim at the hot page, through any mapping of the file. It is
   * the *first* touch, not the last, so that deleting a later op while shrinking does not move it
   * (a moving target made shrinks of long sequences ten times slower).
   */
  private readonly hotPages = new Map<number, bigint>();
  /** The modes of the last uffdRegister request per map handle, so a resolve can answer the way the registration asks. */
  readonly uffdModes = new Map<number, bigint>();
  /**
   * Map handles a uffdRegister asked WP for (whether or not it was granted): the madvise template
   * never installs guard markers there, since on 6.18 an install over a uffd-wp marker never
   * returns (MAP-30) and the native target refuses such an op unrun.
   */
  readonly wpMaps = new Set<number>();
  /**
   * Maps a munmapPart may have cut with a piece left after the range: the free space after them is
   * only the removed range, so a MAP_FIXED over one must not be longer (it would cover the piece,
   * which neither the spec's address space nor the native target allows; mapex.ts).
   */
  readonly cutMaps = new Set<number>();
  /**
   * Maps after whose end something else may be mapped (a moved mremap result, a MAP_FIXED mmapEx
   * over another map with that map's tail after it, an mmapEx whose flags keep the kernel from taking
   * the arena hint): spanRange's anonymous pages go there, and a
   * native target does not run it where the pages are not free (templates/span.ts avoids them).
   */
  readonly crowdedMaps = new Set<number>();
  /** uffd handles created with UFFD_FEATURE_WP_ASYNC: WP alone registers there on any memory (UFD-1), guest_memfd too. */
  readonly asyncUffds = new Set<number>();
  /** The VM and GPA of the last guest access, so a level query can ask about the page just faulted. */
  lastGuest: { readonly vm: number; readonly gpa: bigint } | undefined;
  constructor(
    readonly limits: GenLimits,
    readonly nrMemslots: number,
    readonly vmTypes: readonly number[] = [0],
    /** The creation flags the profile advertises (cap 244), so series flags such as bit 2 are common where they exist. */
    readonly gmemFlags: bigint = 3n,
  ) {}

  /** Records what a resolved op creates, so later picks can refer to it. */
  record(op: Op): void {
    this.touch(op);
    // Which handle the op creates, and a new mapping's file range, come from the declarations.
    const made = createdBy(op);
    if (made?.cls === 'vm') this.vms++;
    if (made?.cls === 'uffd') this.uffds++;
    if (made?.cls === 'pin') this.pins++;
    if (made?.cls === 'vcpu') this.vcpus++;
    if (made?.cls === 'fd') {
      this.fds.push(made.sameAs !== undefined ? (this.fds[made.sameAs] ?? { file: -1, size: 0n, gmem: false })
        : { file: this.fds.length, size: 'size' in op ? op.size : 0n, gmem: op.kind === 'createGmem', ...(op.kind === 'createGmem' ? { vm: op.vm } : {}) });
    }
    const fp = footprintOf(op);
    if (made?.cls === 'map' && fp !== undefined && 'fd' in fp) this.maps.push({ fd: fp.fd, length: fp.len, fileOffset: fp.offset, fdSize: this.fds[fp.fd]?.size ?? 0n });
    if (made?.cls === 'map' && (op.kind === 'mremap' || op.kind === 'mmapEx')) this.crowdedMaps.add(this.maps.length - 1);
    // munmapPart: the new handle names the pages after the range (spec/vocab/ops-mmrange.ts).
    // mremap: the new handle is the remapped mapping, the new length long (spec/vocab/ops-mremap.ts).
    if (made?.cls === 'map' && op.kind === 'mremap') {
      // A new length of 0 or past the user address space is refused (the handle stays dead): keep
      // the recorded length small, so ranges drawn on the handle stay in their field's range.
      const m = this.maps[op.map];
      const length = op.newLength > 0n && op.newLength < 1n << 47n ? op.newLength : (m?.length ?? 4096n);
      this.maps.push(m === undefined ? { fd: 0, length, fileOffset: 0n, fdSize: 0n } : { ...m, length });
    } else if (made?.cls === 'map' && fp !== undefined && 'map' in fp) {
      this.maps.push(pieceAfter(this.maps[fp.map], fp.offset, fp.len));
      if (this.crowdedMaps.has(fp.map)) this.crowdedMaps.add(this.maps.length - 1);
      this.cutMaps.add(fp.map);
      // The pages before the range stay under the handle: the map is now at most `offset` long.
      const head = this.maps[fp.map];
      if (head !== undefined && fp.offset > 0n && fp.offset < head.length) this.maps[fp.map] = { ...head, length: fp.offset };
    }
    switch (op.kind) {
      case 'setMemoryRegion':
        if (op.size > 0n) {
          const m = op.uaddr.kind === 'map' ? this.maps[op.uaddr.map] : undefined;
          const vmmLayout = !!m && op.gmem.kind === 'fd' && m.fd === op.gmem.fd && m.fileOffset === op.gmemOffset;
          this.slots.push({ vm: op.vm, gpa: op.gpa, size: op.size, vmmLayout });
        }
        this.lastRegion = op;
        break;
      case 'guestAccess': this.lastGuest = { vm: op.vm, gpa: op.gpa }; break;
      case 'uffdCreate':
        if ((op.features & UFFD_FEATURE.WP_ASYNC) !== 0n) this.asyncUffds.add(op.id);
        break;
      case 'uffdRegister':
        this.uffdModes.set(op.map, op.mode);
        if ((op.mode & UFFD_MODE.WP) !== 0n) this.wpMaps.add(op.map);
        break;
      default: break;
    }
  }

  /** The hot page of the file behind fd handle `fd`, if an op has addressed that file yet. */
  hotOf(fd: number): HotSpot | undefined {
    const f = this.fds[fd];
    const page = f ? this.hotPages.get(f.file) : undefined;
    return page === undefined ? undefined : { fd, page };
  }

  /** Records the first page of `op`'s declared footprint as its file's hot page, if the file has none yet. */
  private touch(op: Op): void {
    const fp = footprintOf(op);
    if (fp === undefined) return;
    const m = 'map' in fp ? this.maps[fp.map] : undefined;
    const fd = 'fd' in fp ? fp.fd : m?.fd;
    const offset = 'fd' in fp ? fp.offset : m === undefined ? undefined : m.fileOffset + fp.offset;
    const f = fd === undefined ? undefined : this.fds[fd];
    if (offset !== undefined && offset >= 0n && f && !this.hotPages.has(f.file)) this.hotPages.set(f.file, offset / 4096n);
  }
}

/** Picks an existing handle (index modulo count), so a shrunk sequence still names something. */
export const pick = (n: number, count: number): number => (count === 0 ? 0 : n % count);

/**
 * A hot page seen through a mapping: the `n`-th (modulo) mapping that covers its file's hot page,
 * and the offset of that page in the mapping. Undefined when no mapping covers a hot page.
 */
export const hotInMap = (ctx: GenContext, n: number): { map: number; offset: bigint } | undefined => {
  const covering = ctx.maps.flatMap((m, map) => {
    const hot = ctx.hotOf(m.fd);
    const at = hot === undefined ? -1n : hot.page * 4096n;
    return at >= m.fileOffset && at < m.fileOffset + m.length ? [{ map, offset: at - m.fileOffset }] : [];
  });
  return covering.length > 0 ? covering[n % covering.length] : undefined;
};

/** The mapping a partial munmap of [offset, offset+len) leaves after the range (empty if none). */
const pieceAfter = (m: MapInfo | undefined, offset: bigint, len: bigint): MapInfo => {
  const cut = offset < 0n ? 0n : ((offset + len + 4095n) / 4096n) * 4096n;
  if (m === undefined || cut >= m.length) return { fd: m?.fd ?? 0, length: 0n, fileOffset: 0n, fdSize: m?.fdSize ?? 0n };
  return { ...m, length: m.length - cut, fileOffset: m.fileOffset + cut };
};
