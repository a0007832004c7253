import { describe, expect, it } from 'vitest';
import { checkConfig, missingMessage, parseConfig, REQUIRED_CONFIG, weakMessage } from '../../../cli/vm/config-check.js';

/** Every required option as Debian's 7.2 has it (modules where Debian builds modules). */
const DEBIAN_72 = `CONFIG_64BIT=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_CONSOLE=y
CONFIG_NET_9P=m
CONFIG_NET_9P_VIRTIO=m
CONFIG_9P_FS=m
CONFIG_KVM=m
CONFIG_KVM_INTEL=m
CONFIG_KVM_AMD=m
CONFIG_KVM_GUEST_MEMFD=y
CONFIG_USERFAULTFD=y
CONFIG_TRANSPARENT_HUGEPAGE=y
CONFIG_NUMA=y
CONFIG_VIRTIO_BLK=m
CONFIG_EXT4_FS=m
# CONFIG_KVM_SW_PROTECTED_VM is not set
`;

describe('guest kernel config check', () => {
  it('parses y/m/strings and treats "is not set" as unset', () => {
    const c = parseConfig(`${DEBIAN_72}CONFIG_LOCALVERSION="-x"\n`);
    expect(c.get('KVM')).toBe('m');
    expect(c.get('LOCALVERSION')).toBe('"-x"');
    expect(c.has('KVM_SW_PROTECTED_VM')).toBe(false);
  });

  it('Debian 7.2\'s config has everything', () => {
    const v = checkConfig(parseConfig(DEBIAN_72));
    expect(v.missing).toEqual([]);
    expect(v.weak).toEqual([]);
    expect(missingMessage(v, 'x')).toBeUndefined();
  });

  it('names exactly what is missing: guest_memfd must be built in, either vendor KVM will do', () => {
    const noGmem = DEBIAN_72.replace('CONFIG_KVM_GUEST_MEMFD=y', '# CONFIG_KVM_GUEST_MEMFD is not set').replace('CONFIG_9P_FS=m', 'CONFIG_9P_FS=n');
    const v = checkConfig(parseConfig(noGmem));
    expect(v.missing.map((o) => o.name)).toEqual(['9P_FS', 'KVM_GUEST_MEMFD']);
    expect(missingMessage(v, 'the kernel config (/b/.config)')).toMatch(/^the kernel config \(\/b\/\.config\) lacks what gmemcheck vm needs: CONFIG_9P_FS=y\/m .*CONFIG_KVM_GUEST_MEMFD=y \(guest_memfd itself\).*docs\/vm\.md/);
    const amdOnly = parseConfig(DEBIAN_72.replace('CONFIG_KVM_INTEL=m\n', ''));
    expect(checkConfig(amdOnly).missing).toEqual([]);
    const neither = parseConfig(DEBIAN_72.replace('CONFIG_KVM_INTEL=m\n', '').replace('CONFIG_KVM_AMD=m\n', ''));
    expect(missingMessage(checkConfig(neither), 'k')).toContain('CONFIG_KVM_AMD or CONFIG_KVM_INTEL=y/m');
    const gmemModule = parseConfig(DEBIAN_72.replace('CONFIG_KVM_GUEST_MEMFD=y', 'CONFIG_KVM_GUEST_MEMFD=m'));
    expect(checkConfig(gmemModule).missing.map((o) => o.name)).toEqual(['KVM_GUEST_MEMFD']);
  });

  it('optional options only warn', () => {
    const v = checkConfig(parseConfig(DEBIAN_72.replace('CONFIG_USERFAULTFD=y\n', '')));
    expect(v.missing).toEqual([]);
    expect(weakMessage(v)).toMatch(/CONFIG_USERFAULTFD=y \(the uffd domain\)/);
    expect(REQUIRED_CONFIG.filter((o) => o.optional).map((o) => o.name)).toEqual(['USERFAULTFD', 'TRANSPARENT_HUGEPAGE', 'NUMA', 'VIRTIO_BLK', 'EXT4_FS']);
  });
});
