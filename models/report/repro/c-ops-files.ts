/**
 * C helpers for VM, capability, memslot, attribute, conversion and file-descriptor ops. Each one
 * issues exactly what adapters/native does for the op (same structs, same dead-handle stand-ins)
 * and leaves the observed outcome in `obs`.
 */
export const C_OPS_FILES = `
HELPER void op_create_vm(int id, int type) {
  long rc = neg(ioctl(kvm_fd, KVM_CREATE_VM_, (unsigned long)type));
  hset(vm_tab, id, (int)rc);
  obs_rc(rc);
}
HELPER void op_close_vm(int vm) {
  long rc = neg(close(hget(vm_tab, vm)));
  if (rc == 0 && vm >= 0 && vm < MAX_H) vm_tab[vm] = -1;
  obs_rc(rc);
}
HELPER void op_check_extension(int on_kvm, int vm, long cap) {
  long rc = neg(ioctl(on_kvm ? kvm_fd : hget(vm_tab, vm), KVM_CHECK_EXTENSION_, cap));
  if (rc < 0) obs_rc(rc); else obs_set("ok %ld", rc);
}
HELPER void op_create_gmem(int vm, int id, uint64_t size, uint64_t flags, const uint64_t reserved[6]) {
  struct kvm_create_guest_memfd_ c;
  long rc;
  memset(&c, 0, sizeof c);
  c.size = size;
  c.flags = flags;
  memcpy(c.reserved, reserved, sizeof c.reserved);
  rc = neg(ioctl(hget(vm_tab, vm), KVM_CREATE_GUEST_MEMFD_, &c));
  hset(fd_tab, id, (int)rc);
  obs_rc(rc);
}
/* memfd_create + ftruncate: the shmem control backing; an ftruncate failure closes the fd again. */
HELPER void op_create_memfd(int id, int64_t size) {
  long rc = neg(memfd_create("gmemcheck", MFD_CLOEXEC));
  if (rc >= 0 && ftruncate((int)rc, size) < 0) {
    int e = errno;
    close((int)rc);
    rc = -e;
  }
  hset(fd_tab, id, (int)rc);
  obs_rc(rc);
}
HELPER void op_close(int fd) {
  long rc = neg(close(hget(fd_tab, fd)));
  if (rc == 0 && fd >= 0 && fd < MAX_H) fd_tab[fd] = -1;
  obs_rc(rc);
}
HELPER void op_dup(int fd, int id) {
  long rc = neg(dup(hget(fd_tab, fd)));
  hset(fd_tab, id, (int)rc);
  obs_rc(rc);
}
HELPER void op_fstat(int fd) {
  struct stat st;
  if (fstat(hget(fd_tab, fd), &st) < 0) { obs_rc(-errno); return; }
  obs_set("ok {blksize:%ld,mode:%u,size:%llu}", (long)st.st_blksize, (unsigned)st.st_mode, (unsigned long long)st.st_size);
}
/* ok { accmode: 'O_RDONLY' | 'O_WRONLY' | 'O_RDWR', cloexec } (spec/vocab/CONVENTIONS.md). */
HELPER void op_fd_flags(int fd) {
  int f = hget(fd_tab, fd), fl = fcntl(f, F_GETFL), fdf, acc;
  static const char *const names[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };
  if (fl < 0) { obs_rc(-errno); return; }
  fdf = fcntl(f, F_GETFD);
  acc = fl & O_ACCMODE;
  if (acc < 3) obs_set("ok {accmode:%s,cloexec:%s}", names[acc], (fdf & FD_CLOEXEC) ? "true" : "false");
  else obs_set("ok {accmode:O_ACCMODE_%d,cloexec:%s}", acc, (fdf & FD_CLOEXEC) ? "true" : "false");
}
HELPER void op_same_inode(int fd, int other) {
  struct stat a, b;
  if (fstat(hget(fd_tab, fd), &a) < 0) { obs_rc(-errno); return; }
  if (fstat(hget(fd_tab, other), &b) < 0) { obs_rc(-errno); return; }
  obs_set("ok %s", a.st_dev == b.st_dev && a.st_ino == b.st_ino ? "true" : "false");
}
/* call: 0 read, 1 write, 2 pread, 3 pwrite, 4 lseek(SEEK_SET), 5 fsync. Writes send len bytes of
 * value. ok values (spec/vocab/CONVENTIONS.md): read/write { count }, lseek { offset }, fsync none. */
HELPER void op_file_io(int fd, int call, int64_t off, uint64_t len, int value) {
  int f = hget(fd_tab, fd);
  size_t mapped = 0;
  uint8_t *buf = NULL;
  long rc;
  if (call == 4) {
    off_t r = lseek(f, off, SEEK_SET);
    if (r < 0) obs_rc(-errno); else obs_set("ok {offset:%llu}", (unsigned long long)r);
    return;
  }
  if (call == 5) { obs_rc(neg(fsync(f))); return; }
  buf = buf_new(len, call == 1 || call == 3 ? value : 0, &mapped);
  if (buf == NULL) { obs_set("infrastructure: no memory for the I/O buffer"); return; }
  switch (call) {
  case 0: rc = neg(read(f, buf, len)); break;
  case 1: rc = neg(write(f, buf, len)); break;
  case 2: rc = neg(pread(f, buf, len, off)); break;
  default: rc = neg(pwrite(f, buf, len, off)); break;
  }
  if (rc < 0) obs_rc(rc); else obs_set("ok {count:%ld}", rc);
  munmap(buf, mapped);
}
HELPER void op_ftruncate(int fd, int64_t size) { obs_rc(neg(ftruncate(hget(fd_tab, fd), size))); }
HELPER void op_fallocate(int fd, int mode, int64_t off, int64_t len) { obs_rc(neg(fallocate(hget(fd_tab, fd), mode, off, len))); }

/* uaddr: 0 a map's base + offset (a never-created map: the offset itself), 1 NULL, 2 unaligned.
 * gmem: 0 an fd handle, 1 a VM handle's fd, 2 /dev/kvm, 3 an fd number nothing has open. */
HELPER void op_set_memory_region(int vm, int v1, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
                                 int ukind, int map, uint64_t uoff, int gkind, int gh, uint64_t goff) {
  struct kvm_userspace_memory_region2_ r;
  memset(&r, 0, sizeof r);
  r.slot = slot;
  r.flags = flags;
  r.guest_phys_addr = gpa;
  r.memory_size = size;
  r.userspace_addr = ukind == 1 ? 0 : ukind == 2 ? UNALIGNED_UADDR_
    : (map >= 0 && map < MAX_H && map_tab[map].used) ? map_tab[map].base + uoff : uoff;
  r.guest_memfd = (uint32_t)(gkind == 0 ? hget(fd_tab, gh) : gkind == 1 ? hget(vm_tab, gh) : gkind == 2 ? kvm_fd : NOT_OPEN_FD_);
  r.guest_memfd_offset = goff;
  obs_rc(neg(ioctl(hget(vm_tab, vm), v1 ? KVM_SET_USER_MEMORY_REGION_ : KVM_SET_USER_MEMORY_REGION2_, &r)));
}
HELPER void op_set_memory_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attributes) {
  struct kvm_memory_attributes_ a = { gpa, size, attributes, 0 };
  obs_rc(neg(ioctl(hget(vm_tab, vm), KVM_SET_MEMORY_ATTRIBUTES_, &a)));
}
/* api 0: KVM_SET_MEMORY_ATTRIBUTES2; 1: KVM_GMEM_CONVERT_*. error_offset starts all-ones so that
 * only a value the kernel wrote is reported. */
HELPER void op_convert(int fd, int api, uint64_t off, uint64_t len, int to_private) {
  long rc;
  uint64_t err_off;
  if (api == 0) {
    struct kvm_memory_attributes2_ a;
    memset(&a, 0, sizeof a);
    a.offset = off;
    a.size = len;
    a.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE_ : 0;
    a.error_offset = ~0ULL;
    rc = neg(ioctl(hget(fd_tab, fd), KVM_SET_MEMORY_ATTRIBUTES2_, &a));
    err_off = a.error_offset;
  } else {
    struct kvm_gmem_convert_ c;
    memset(&c, 0, sizeof c);
    c.offset = off;
    c.size = len;
    c.error_offset = ~0ULL;
    rc = neg(ioctl(hget(fd_tab, fd), to_private ? KVM_GMEM_CONVERT_PRIVATE_ : KVM_GMEM_CONVERT_SHARED_, &c));
    err_off = c.error_offset;
  }
  if (rc >= 0) obs_set("ok");
  else if (err_off == ~0ULL) obs_rc(rc);
  else obs_set("errno %s @%llu", errno_name((int)-rc), (unsigned long long)err_off);
}
`;
