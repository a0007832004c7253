import { describe, expect, it } from 'vitest';
import { AccelError, chooseAccel, kvmUnusable } from '../../../cli/vm/accel.js';

const kvmHost = { devKvm: true, hwVirt: true, pvm: false };
const pvmHost = { devKvm: true, hwVirt: false, pvm: true };

describe('accelerator choice', () => {
  it('auto: KVM where /dev/kvm can back QEMU, else multi-threaded TCG, saying why', () => {
    expect(chooseAccel('auto', kvmHost).kind).toBe('kvm');
    const t = chooseAccel('auto', pvmHost);
    expect(t).toMatchObject({ kind: 'tcg', thread: 'multi' });
    expect(t.why).toMatch(/kvm_pvm/);
    expect(chooseAccel('auto', { devKvm: false, hwVirt: true, pvm: false }).why).toMatch(/missing or not accessible/);
    expect(kvmUnusable({ devKvm: true, hwVirt: false, pvm: false })).toMatch(/neither VMX nor SVM/);
  });

  it('forced choices: kvm refuses a host that cannot, tcg and tcg-single always work', () => {
    expect(() => chooseAccel('kvm', pvmHost)).toThrow(AccelError);
    expect(chooseAccel('kvm', kvmHost).kind).toBe('kvm');
    expect(chooseAccel('tcg', kvmHost)).toMatchObject({ kind: 'tcg', thread: 'multi' });
    expect(chooseAccel('tcg-single', kvmHost)).toMatchObject({ kind: 'tcg', thread: 'single' });
  });
});
