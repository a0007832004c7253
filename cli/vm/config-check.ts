/**
 * What a guest kernel must have for `gmemcheck vm`, checked against its .config before boot (the
 * Debian package's config, or the one next to a user's bzImage) and again in the guest
 * (/proc/config.gz when CONFIG_IKCONFIG_PROC is set). docs/vm.md lists the same options.
 */

export type Need = 'y' | 'ym';

export interface ConfigOption {
  /** CONFIG_ name without the prefix; `A|B` means either will do. */
  readonly name: string;
  readonly need: Need;
  readonly why: string;
  /** Without it some domains skip rather than the VM failing to boot. */
  readonly optional?: boolean;
}

export const REQUIRED_CONFIG: readonly ConfigOption[] = [
  { name: '64BIT', need: 'y', why: 'the x86-64 native target' },
  { name: 'BLK_DEV_INITRD', need: 'y', why: 'the initramfs' },
  { name: 'DEVTMPFS', need: 'y', why: '/dev in the guest' },
  { name: 'TMPFS', need: 'y', why: '/tmp, /run and the results staging in the guest' },
  { name: 'SERIAL_8250_CONSOLE', need: 'y', why: 'the kernel console on ttyS0 (oops detection)' },
  { name: 'VIRTIO_PCI', need: 'ym', why: 'the virtio devices (9p, serial)' },
  { name: 'VIRTIO_CONSOLE', need: 'ym', why: 'the control port that carries output and results back' },
  { name: 'NET_9P', need: 'ym', why: 'the host root and working directory over 9p' },
  { name: 'NET_9P_VIRTIO', need: 'ym', why: 'the 9p virtio transport' },
  { name: '9P_FS', need: 'ym', why: 'the 9p file system' },
  { name: 'KVM', need: 'ym', why: '/dev/kvm' },
  { name: 'KVM_AMD|KVM_INTEL', need: 'ym', why: 'KVM for the CPU QEMU presents (TCG -cpu max: AMD SVM)' },
  { name: 'KVM_GUEST_MEMFD', need: 'y', why: 'guest_memfd itself' },
  { name: 'USERFAULTFD', need: 'y', why: 'the uffd domain', optional: true },
  { name: 'TRANSPARENT_HUGEPAGE', need: 'y', why: 'THP behaviour (MADV_COLLAPSE, host mapping level)', optional: true },
  { name: 'NUMA', need: 'y', why: 'mbind/get_mempolicy with node masks', optional: true },
  { name: 'VIRTIO_BLK', need: 'ym', why: 'the O_DIRECT scratch disk (directIo)', optional: true },
  { name: 'EXT4_FS', need: 'ym', why: 'the O_DIRECT scratch disk is ext4 (directIo)', optional: true },
];

/** `CONFIG_X=y` / `=m` / `="..."` lines; `# CONFIG_X is not set` and absent options are unset. */
export const parseConfig = (text: string): Map<string, string> => {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
};

export interface ConfigVerdict {
  /** Required options that are missing: the VM cannot test this kernel. */
  readonly missing: readonly ConfigOption[];
  /** Optional ones that are missing: some domains will skip. */
  readonly weak: readonly ConfigOption[];
}

const satisfied = (cfg: ReadonlyMap<string, string>, o: ConfigOption): boolean =>
  o.name.split('|').some((n) => {
    const v = cfg.get(n);
    return v === 'y' || (o.need === 'ym' && v === 'm');
  });

export const checkConfig = (cfg: ReadonlyMap<string, string>): ConfigVerdict => ({
  missing: REQUIRED_CONFIG.filter((o) => !o.optional && !satisfied(cfg, o)),
  weak: REQUIRED_CONFIG.filter((o) => o.optional === true && !satisfied(cfg, o)),
});

const show = (o: ConfigOption): string => `${o.name.split('|').map((n) => `CONFIG_${n}`).join(' or ')}=${o.need === 'y' ? 'y' : 'y/m'} (${o.why})`;

/** One line for the error, or undefined when nothing required is missing. */
export const missingMessage = (v: ConfigVerdict, what: string): string | undefined =>
  v.missing.length === 0 ? undefined : `${what} lacks what gmemcheck vm needs: ${v.missing.map(show).join('; ')} (docs/vm.md lists the minimal config)`;

export const weakMessage = (v: ConfigVerdict): string | undefined =>
  v.weak.length === 0 ? undefined : `note: without ${v.weak.map(show).join('; ')} some domains skip`;
