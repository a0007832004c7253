/* MADV_GUARD_INSTALL over a shmem page that holds a uffd-wp marker. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	int mfd = memfd_create("wp", 0);
	if (mfd < 0 || ftruncate(mfd, pg)) { perror("memfd"); return 2; }
	char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 2; }
	p[0] = 1; /* the page is in the page cache and mapped */

	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	struct uffdio_api api = { .api = UFFD_API };
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) { perror("userfaultfd"); return 2; }
	struct uffdio_register reg = { .range = { (unsigned long)p, pg }, .mode = UFFDIO_REGISTER_MODE_WP };
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) { perror("UFFDIO_REGISTER(WP)"); return 2; }
	struct uffdio_writeprotect wp = { .range = { (unsigned long)p, pg }, .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) { perror("UFFDIO_WRITEPROTECT"); return 2; }
	/* Zapping a write-protected file PTE leaves a uffd-wp PTE marker behind. */
	if (madvise(p, pg, MADV_DONTNEED)) { perror("MADV_DONTNEED"); return 2; }

	fprintf(stderr, "MADV_GUARD_INSTALL...\n");
	int r = madvise(p, pg, MADV_GUARD_INSTALL);
	printf("MADV_GUARD_INSTALL returned %d (%s)\n", r, r ? strerror(errno) : "ok");
	return 0;
}
