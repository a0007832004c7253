/**
 * The kernel's C type of every numeric word an op passes (int, u32, u64 and i64 fields of the
 * declarations in ./ops.ts, variant fields included), read from the syscall or ioctl it stands
 * for. It ties the declarations to the uAPI: a word the kernel takes as 64 bits must be declared
 * u64 or i64, so that it is a bigint end to end and a bit test on it with a JS number (whose
 * bitwise operators keep 32 bits) does not compile. test/unit/meta/abi-words.test.ts checks the
 * table is complete and every width agrees; a field added without an entry fails there.
 *
 * Sources: the SYSCALL_DEFINE / ioctl argument and uAPI struct member the value lands in, v7.2
 * (include/uapi/linux/kvm.h, userfaultfd.h; mm/mmap.c, mm/mprotect.c, mm/madvise.c,
 * mm/mempolicy.c, mm/mincore.c, fs/read_write.c, fs/open.c, mm/process_vm_access.c).
 */
import type { OpKind } from './ops.js';

/** The C types the table uses; `pointer` is a user address (base + map offset), 64 bits on x86-64. */
export type KernelWord =
  | 'int' | 'unsigned int' | '__u32'
  | 'long' | 'unsigned long' | 'size_t' | 'loff_t' | '__u64' | 'pointer';

export const WIDTH: Readonly<Record<KernelWord, 32 | 64>> = {
  int: 32, 'unsigned int': 32, __u32: 32,
  long: 64, 'unsigned long': 64, size_t: 64, loff_t: 64, __u64: 64, pointer: 64,
};

/** op kind → field (a variant's field as `field.name`) → the C type the kernel receives. */
export const ABI_WORDS: { readonly [K in OpKind]?: Readonly<Record<string, KernelWord>> } = {
  createVm: { type: 'unsigned long' }, // KVM_CREATE_VM's ioctl argument
  checkExtension: { cap: 'long' }, // kvm_vm_ioctl_check_extension_generic(kvm, long arg)
  createGmem: { size: '__u64', flags: '__u64' }, // struct kvm_create_guest_memfd
  createMemfd: { size: 'loff_t' }, // ftruncate(fd, length)
  fileIo: { offset: 'loff_t' },
  ftruncate: { size: 'loff_t' },
  fallocate: { mode: 'int', offset: 'loff_t', len: 'loff_t' },
  mmap: { offset: 'unsigned long', length: 'unsigned long', prot: 'unsigned long' }, // ksys_mmap_pgoff
  mmapEx: { offset: 'unsigned long', length: 'unsigned long', prot: 'unsigned long', flags: 'unsigned long' }, // ksys_mmap_pgoff
  mprotect: { prot: 'unsigned long' }, // do_mprotect_pkey
  load: { offset: 'pointer' },
  store: { offset: 'pointer' },
  madvise: { offset: 'pointer', length: 'size_t' },
  kernelAccess: { offset: 'pointer' },
  mincore: { offset: 'pointer' },
  mlock: { offset: 'pointer', length: 'size_t', flags: 'unsigned int' }, // mlock2(start, len, flags)
  msync: { offset: 'pointer', length: 'size_t', flags: 'int' },
  futex: { offset: 'pointer', value: '__u32' }, // futex(u32 *uaddr, int op, u32 val, ...)
  directIo: { offset: 'pointer' },
  lseek: { offset: 'loff_t', whence: 'unsigned int' }, // lseek(unsigned int fd, off_t offset, unsigned int whence)
  fileIoV: { offset: 'loff_t', rwf: 'int' }, // preadv2(…, pos_l, pos_h, rwf_t flags): pos is a loff_t, rwf_t an int
  fdMeta: { mode: 'unsigned int' }, // fchmod(unsigned int fd, umode_t mode): the int register, cut to umode_t inside
  fcntl: { arg: 'unsigned long' }, // fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
  fdUring: { offset: '__u64', rwf: 'int' }, // struct io_uring_sqe off (__u64, read as a loff_t), rw_flags (__kernel_rwf_t)
  fdWatch: { mode: 'int', offset: 'loff_t', len: 'loff_t' }, // fallocate(fd, int mode, loff_t offset, loff_t len)
  dirtyLog: { slot: '__u32', firstPage: '__u64', numPages: '__u32' }, // struct kvm_clear_dirty_log (slot, num_pages, first_page); kvm_dirty_log's slot
  pathCall: { arg: 'loff_t' }, // truncate(path, loff_t length); chmod's umode_t and ftruncate's loff_t take it too
  fdIoctl: { arg: 'int' }, // the int ioctl_fionbio/ioctl_fioasync/ioctl_fibmap read (get_user(int)); SETFLAGS' unsigned int
  fdAdvise: { offset: 'loff_t', len: 'loff_t', word: 'unsigned int' }, // fadvise64_64(fd, loff_t, loff_t, int), readahead(fd, loff_t, size_t), sync_file_range(fd, loff_t, loff_t, unsigned int)
  spliceLike: { offset: 'loff_t', flags: 'unsigned int' }, // splice/copy_file_range(…, loff_t *off, …, unsigned int flags)
  copyRange: { srcOff: 'loff_t', dstOff: 'loff_t', flags: 'unsigned int' }, // copy_file_range(int, loff_t *off_in, int, loff_t *off_out, size_t, unsigned int flags)
  setMemoryRegion: { slot: '__u32', flags: '__u32', gpa: '__u64', size: '__u64', 'uaddr.offset': 'pointer', gmemOffset: '__u64' },
  mbind: { offset: 'pointer', length: 'unsigned long', mode: 'unsigned long', nodes: 'unsigned long', flags: 'unsigned int' },
  getMempolicy: { offset: 'pointer' },
  setMempolicy: { mode: 'int', nodes: 'unsigned long' },
  uffdCreate: { features: '__u64' }, // struct uffdio_api
  uffdRegister: { offset: 'pointer', length: '__u64', mode: '__u64' }, // struct uffdio_register
  uffdResolve: { offset: 'pointer', length: '__u64' },
  convert: { offset: '__u64', len: '__u64', errorOffsetIn: '__u64' },
  setMemoryAttributes: { gpa: '__u64', size: '__u64', attributes: '__u64' },
  guestAccess: { gpa: '__u64' },
  guestMapLevel: { gpa: '__u64' },
  pin: { offset: 'pointer', length: '__u64' }, // struct iovec iov_len (size_t) as io_uring and vmsplice read it
  pinRead: { offset: '__u64' }, // io_uring_sqe.addr (registered buffer + offset); pread's loff_t
  createVcpu: { vcpuId: 'unsigned long' }, // kvm_vm_ioctl_create_vcpu(kvm, unsigned long id)
  preFault: { gpa: '__u64', size: '__u64', flags: '__u64' }, // struct kvm_pre_fault_memory
  // The child's one action: a byte at base + offset (load/store) or fallocate's (mode, offset, len), ftruncate's length.
  child: { 'act.offset': 'loff_t', 'act.mode': 'int', 'act.len': 'loff_t', 'act.size': 'loff_t' },
  uffdWriteProtect: { offset: 'pointer', length: '__u64', mode: '__u64' }, // struct uffdio_writeprotect
  uffdPoison: { offset: 'pointer', length: '__u64', mode: '__u64' }, // struct uffdio_poison
  uffdMove: { srcOffset: 'pointer', offset: 'pointer', length: '__u64', mode: '__u64' }, // struct uffdio_move
  pagemap: { offset: 'pointer' }, // the virtual address whose entry is read (file offset = addr / 4096 * 8)
  kpageFlags: { offset: 'pointer' }, // the virtual address whose pagemap entry gives the PFN (then /proc/kpageflags, /proc/kpagecount at PFN * 8)
  smaps: { offset: 'pointer' }, // the address whose VMA's entry is read
  setVmaName: { offset: 'pointer', length: 'size_t' }, // prctl's unsigned long addr and size (set_anon_vma_name)
  mremap: { newLength: 'unsigned long', flags: 'unsigned long' }, // SYSCALL_DEFINE5(mremap, unsigned long addr, old_len, new_len, flags, new_addr)
  munmapPart: { offset: 'pointer', length: 'size_t' }, // munmap(addr, len)
  mprotectRange: { offset: 'pointer', length: 'size_t', prot: 'unsigned long' }, // do_mprotect_pkey(start, len, prot)
  getMempolicyFlags: { offset: 'pointer', flags: 'unsigned long' }, // kernel_get_mempolicy(..., unsigned long addr, unsigned long flags)
  numaMaps: { offset: 'pointer' }, // the address whose VMA's numa_maps line is read
  movePages: { offset: 'pointer', node: 'int', flags: 'int' }, // kernel_move_pages(pid, nr_pages, pages[], const int *nodes, status, int flags)
  procmapQuery: { offset: 'pointer', size: '__u64', queryFlags: '__u64', nameSize: '__u32' }, // struct procmap_query (query_addr, size, query_flags, vma_name_size)
  mapFiles: { offset: 'pointer' }, // the address whose VMA's map_files entry is used
  pagemapScan: { // struct pm_scan_arg: every member a __u64
    offset: 'pointer', size: '__u64', flags: '__u64', categoryInverted: '__u64', categoryMask: '__u64', categoryAnyof: '__u64', returnMask: '__u64', vecLen: '__u64', maxPages: '__u64',
  },
  // set_mempolicy_home_node(unsigned long start, unsigned long len, unsigned long home_node, unsigned long flags)
  setMempolicyHomeNode: { offset: 'pointer', length: 'unsigned long', node: 'unsigned long', flags: 'unsigned long' },
  // struct kvm_userspace_memory_region2 with its __u32 pad1 (pad2 is __u64[14])
  setMemoryRegionPad: { slot: '__u32', flags: '__u32', gpa: '__u64', size: '__u64', 'uaddr.offset': 'pointer', gmemOffset: '__u64', pad1: '__u32' },
};
