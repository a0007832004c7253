/**
 * KVM_GET_STATS_FD (spec/vocab/ops-kstats.ts), modelled on virt/kvm/binary_stats.c: the model
 * lays out the file's bytes as KVM does (header, id string, descriptors, data block), serves
 * pread from that image, and reads it back the way the native target's C wrapper does, with its
 * own layout checks. The counters are the model's: pages_4k/2m/1g count the VM's SPTEs by level
 * where guest accesses go through KVM's own MMU (P-GUEST-PATH GMEM); a host that emulates them
 * (kvm_pvm, UADDR) keeps every counter at 0.
 */
import { KPAGE_FLAGS, KVM_STATS_KEYS, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Vm } from '../state.js';

const NAME_SIZE = 48;
const HEADER = 24;
const DESC = 16 + NAME_SIZE;
/** KVM_STATS_TYPE_INSTANT: pages_* and the other gauges (include/uapi/linux/kvm.h). */
const INSTANT = 1;
const PEAK = 2;

/** x86's VM statistics, in kvm_vm_stats_desc's order (arch/x86/kvm/x86.c), each one u64, with its type. */
const VM_STATS: readonly (readonly [string, number])[] = [
  ['remote_tlb_flush', 0], ['remote_tlb_flush_requests', 0], ['mmu_shadow_zapped', 0], ['mmu_pte_write', 0], ['mmu_pde_zapped', 0],
  ['mmu_flooded', 0], ['mmu_recycled', 0], ['mmu_cache_miss', 0], ['mmu_unsync', INSTANT], ['pages_4k', INSTANT], ['pages_2m', INSTANT],
  ['pages_1g', INSTANT], ['nx_lpage_splits', INSTANT], ['max_mmu_rmap_size', PEAK], ['max_mmu_page_hash_collisions', PEAK],
];
/** A selection of x86's vCPU statistics (the generic ones first). */
const VCPU_STATS: readonly (readonly [string, number])[] = [
  ['halt_successful_poll', 0], ['halt_attempted_poll', 0], ['halt_poll_invalid', 0], ['halt_wakeup', 0], ['blocking', INSTANT],
  ['pf_taken', 0], ['pf_fixed', 0], ['pf_emulate', 0], ['exits', 0], ['io_exits', 0], ['mmio_exits', 0], ['halt_exits', 0], ['guest_mode', INSTANT],
];

/** The file's bytes: header, id, descriptors (one u64 each, consecutive), data. */
const image = (k: Kernel, id: string, stats: readonly (readonly [string, number])[], values: ReadonlyMap<string, bigint>): Uint8Array => {
  const descOff = HEADER + NAME_SIZE;
  const dataOff = descOff + stats.length * DESC;
  const size = dataOff + stats.length * 8;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  // Bug: the header's name_size is the uAPI struct's (16) instead of KVM_STATS_NAME_SIZE.
  v.setUint32(0, 0, true);
  v.setUint32(4, k.bug('stats-name-size-wrong') ? 16 : NAME_SIZE, true);
  v.setUint32(8, stats.length, true);
  v.setUint32(12, HEADER, true);
  v.setUint32(16, descOff, true);
  v.setUint32(20, dataOff, true);
  b.set(new TextEncoder().encode(id), HEADER);
  stats.forEach(([name, type], i) => {
    const d = descOff + i * DESC;
    v.setUint32(d, type, true); // flags: type | unit NONE | base POW10
    v.setInt16(d + 4, 0, true); // exponent
    v.setUint16(d + 6, 1, true); // size: one u64
    v.setUint32(d + 8, i * 8, true); // offset in the data block
    v.setUint32(d + 12, 0, true); // bucket_size
    b.set(new TextEncoder().encode(name), d + 16);
    v.setBigUint64(dataOff + i * 8, values.get(name) ?? 0n, true);
  });
  return b;
};

/** kvm_stats_read: what lies before the end; nothing from the end on. Bug: the end counted one id string too far. */
const pread = (k: Kernel, b: Uint8Array, pos: bigint, len: number): Uint8Array | 'EINVAL' => {
  if (pos < 0n) return 'EINVAL';
  const end = BigInt(b.length) + (k.bug('stats-read-past-end') ? BigInt(NAME_SIZE) : 0n);
  if (pos >= end) return new Uint8Array(0);
  const n = Number(end - pos < BigInt(len) ? end - pos : BigInt(len));
  const out = new Uint8Array(n);
  out.set(b.subarray(Number(pos), Math.min(b.length, Number(pos) + n)));
  return out;
};

const cstr = (b: Uint8Array): string | undefined => {
  const z = b.indexOf(0);
  return z <= 0 ? undefined : new TextDecoder().decode(b.subarray(0, z));
};

/** The reader's side: the layout checks, the names of KVM_STATS_KEYS present, the counters by name, the data block's end. */
const readBack = (b: Uint8Array): { readonly layout: string; readonly names: readonly string[]; readonly values: ReadonlyMap<string, bigint>; readonly end: number } => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const bad = (layout: string) => ({ layout, names: [], values: new Map<string, bigint>(), end: b.length });
  if (b.length < HEADER) return bad('header');
  const [flags, nameSize, n, idOff, descOff, dataOff] = [0, 4, 8, 12, 16, 20].map((o) => v.getUint32(o, true)) as [number, number, number, number, number, number];
  if (flags !== 0) return bad('flags');
  if (nameSize !== NAME_SIZE) return bad('name_size');
  if (idOff < HEADER || idOff + nameSize > b.length || cstr(b.subarray(idOff, idOff + nameSize)) === undefined) return bad('id');
  if (descOff < idOff + nameSize) return bad('desc_offset');
  if (dataOff < descOff + n * (16 + nameSize) || dataOff > b.length) return bad('data_offset');
  const names: string[] = [];
  const values = new Map<string, bigint>();
  const used: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const d = descOff + i * (16 + nameSize);
    const f = v.getUint32(d, true);
    const size = v.getUint16(d + 6, true);
    const off = v.getUint32(d + 8, true);
    const name = cstr(b.subarray(d + 16, d + 16 + nameSize));
    if (name === undefined || size === 0 || (f & 0xf) > 4 || ((f >> 4) & 0xf) > 4 || ((f >> 8) & 0xf) > 1 || off % 8 !== 0) return bad(`desc ${i}`);
    if (dataOff + off + size * 8 > b.length || used.some(([a, e]) => off < e && a < off + size * 8)) return bad(`desc ${i} data`);
    used.push([off, off + size * 8]);
    names.push(name);
    values.set(name, v.getBigUint64(dataOff + off, true));
  }
  return { layout: 'ok', names, values, end: dataOff + Math.max(0, ...used.map(([, e]) => e)) };
};

/** pages_4k/2m/1g: the SPTEs by level where KVM's MMU serves guest accesses; kvm_pvm counts none. Bug: the TDP MMU forgets to count 4K leaves. */
const vmValues = (k: Kernel, vm: Vm): Map<string, bigint> => {
  const by = [0n, 0n, 0n, 0n];
  if (k.profile.variants.guestPath !== 'UADDR') for (const level of vm.sptes.values()) by[Math.min(level, 3)]! += 1n;
  if (k.bug('stats-pages-uncounted')) by[1] = 0n;
  return new Map([['pages_4k', by[1]!], ['pages_2m', by[2]!], ['pages_1g', by[3]!]]);
};

const READ_AT = { end: 0n, tail: -4n, far: 1n << 40n, negative: -1n } as const;

export const kvmStats = (k: Kernel, op: OpOf<'kvmStats'>): Outcome => {
  let b: Uint8Array;
  let pages: { small: boolean; huge: boolean } | null = null;
  if (op.on.kind === 'vm') {
    const vm = k.liveVm(op.on.vm);
    if (!vm) return err('EBADF');
    b = image(k, 'kvm-PID', VM_STATS, vmValues(k, vm));
  } else {
    const vcpu = k.vcpus.get(op.on.vcpu);
    if (!vcpu) return err('EBADF');
    b = image(k, `kvm-PID/vcpu-${vcpu.vcpuId}`, VCPU_STATS, new Map());
  }
  const whole = pread(k, b, 0n, 1 << 20);
  if (whole === 'EINVAL') throw new Error('kvmStats: pread at 0 refused');
  const r = readBack(whole);
  if (op.on.kind === 'vm' && r.layout === 'ok') {
    const val = (n: string): bigint => r.values.get(n) ?? 0n;
    pages = { small: val('pages_4k') !== 0n, huge: val('pages_2m') !== 0n || val('pages_1g') !== 0n };
  }
  // The end of the data block as the descriptors place it (the reader's view, as the C wrapper's).
  const dataEnd = BigInt(r.end);
  const at = READ_AT[op.at];
  const extra = pread(k, b, op.at === 'end' || op.at === 'tail' ? dataEnd + at : at, 8);
  // write: vfs_write refuses a file not open for writing; pwrite: no FMODE_PWRITE. Bug: the file is opened O_RDWR (then write has no method: EINVAL).
  const write = op.write === 'pwrite' ? 'ESPIPE' : k.bug('stats-fd-writable') ? 'EINVAL' : 'EBADF';
  const idEnd = whole.indexOf(0, HEADER);
  return ok({
    id: new TextDecoder().decode(whole.subarray(HEADER, idEnd < 0 ? HEADER : idEnd)),
    layout: r.layout,
    has: KVM_STATS_KEYS.filter((n) => r.names.includes(n)),
    pages,
    readAt: extra === 'EINVAL' ? 'EINVAL' : extra.length,
    write,
  });
};

/**
 * kpageflags/kpagecount of the page at a map offset, read off the emulated page tables: no PTE →
 * no PFN (null). A private copy is an anonymous, swap-backed page mapped once. A file page is
 * up to date and mapped; the model's LRU add batch is always drained, so every page sits on an
 * LRU list: gmem's on the unevictable one (its mapping is unevictable), shmem's there while a
 * mapping of it is mlocked; shmem pages are swap-backed; no huge folios (the shmem THP knob is
 * "never" here). Its count: the live PTEs mapping that file page.
 */
export const kpageFlags = (k: Kernel, op: OpOf<'kpageFlags'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.offset < 0n || op.offset >= BigInt(m.npages) * 4096n) return ok(null);
  const mp = Number(op.offset >> 12n);
  const page = m.pgoff + mp;
  const flags = (set: readonly string[], count: number): Outcome => ok({ flags: KPAGE_FLAGS.filter((f) => set.includes(f)), count });
  if (m.anon.has(page)) return flags(['uptodate', 'lru', 'mmap', 'anon', 'swapbacked', ...(m.locked.has(mp) ? ['unevictable'] : [])], 1);
  if (!m.ptes.has(page)) return ok(null);
  const gmem = m.inode.kind === 'gmem';
  let count = 0;
  let locked = false;
  for (const o of m.inode.maps) {
    if (!o.alive || o.anon.has(page) || !o.ptes.has(page)) continue;
    count += 1;
    if (o.locked.has(page - o.pgoff)) locked = true;
  }
  // Bugs: the gmem mapping is left evictable (no AS_UNEVICTABLE); gmem folios marked swap-backed as shmem's are.
  const unevictable = gmem ? !k.bug('gmem-page-evictable') : locked;
  const swapbacked = !gmem || k.bug('gmem-page-swapbacked');
  return flags(['uptodate', 'lru', 'mmap', ...(swapbacked ? ['swapbacked'] : []), ...(unevictable ? ['unevictable'] : [])], count);
};
