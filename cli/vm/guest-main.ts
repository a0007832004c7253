/**
 * The guest half of `gmemcheck vm` (bundled by ./bundle.ts, run by the initramfs's /init in a
 * chroot of the host's root): says hello, holds one VM with one APIC-less vCPU open for its whole
 * life (the multi-threaded-TCG workaround, ./accel.ts), runs the gmemcheck command with its output,
 * progress and op sequence going to the control port as frames (./frames.ts), and ends with the
 * exit frame. Everything here runs inside the guest; nothing reaches the host but the frames and
 * the files the command writes under the shared working directory.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { release } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IOCTL, type Op } from '../../spec/vocab/index.js';
import { loadBinding } from '../../adapters/native/_internals/binding.js';
import { guestMemfdAvailable } from '../../adapters/native/index.js';
import { main } from '../main.js';
import type { FlightRecorder, Io } from '../io.js';
import { EXIT } from '../errors.js';
import { checkConfig, parseConfig } from './config-check.js';
import { encodeFrame, type Frame } from './frames.js';
import { parseJob } from './job.js';
import { FLIGHT_BYTES, FlightWriter } from './flight.js';
import { CONTROL_PORT } from './qemu.js';

/** /dev/vportNpM of the control port, found by its name. */
const controlPort = (): string => {
  const dir = '/sys/class/virtio-ports';
  for (const p of existsSync(dir) ? readdirSync(dir) : []) {
    try {
      if (readFileSync(path.join(dir, p, 'name'), 'utf8').trim() === CONTROL_PORT) return `/dev/${p}`;
    } catch { /* a port without a name */ }
  }
  throw new Error(`no virtio-serial port named ${CONTROL_PORT} (CONFIG_VIRTIO_CONSOLE)`);
};

const configCheck = (): { missing: string[]; weak: string[] } => {
  if (!existsSync('/proc/config.gz')) return { missing: [], weak: [] };
  const v = checkConfig(parseConfig(gunzipSync(readFileSync('/proc/config.gz')).toString('utf8')));
  return { missing: v.missing.map((o) => o.name), weak: v.weak.map((o) => o.name) };
};

/** QEMU's ivshmem device (vendor 0x1af4, device 0x1110): its memory BAR is the host's flight file. */
const IVSHMEM = { vendor: '0x1af4', device: '0x1110' };

/** The flight recorder in ivshmem memory, or why not (the caller then falls back to the port). */
const flightMemory = (): FlightWriter | string => {
  const dir = '/sys/bus/pci/devices';
  const read = (p: string): string => { try { return readFileSync(p, 'utf8').trim(); } catch { return ''; } };
  const dev = (existsSync(dir) ? readdirSync(dir) : []).find((d) => read(`${dir}/${d}/vendor`) === IVSHMEM.vendor && read(`${dir}/${d}/device`) === IVSHMEM.device);
  if (dev === undefined) return 'no ivshmem device';
  // Without a driver the device's memory decoding is off until enabled.
  try { writeFileSync(`${dir}/${dev}/enable`, '1'); } catch (e) { return `enable ${dev}: ${(e as Error).message}`; }
  const { binding: b } = loadBinding();
  if (!b) return 'native addon not loadable';
  const buf = b.mapShared(`${dir}/${dev}/resource2`, FLIGHT_BYTES);
  return typeof buf === 'number' ? `mmap ${dev}/resource2: errno ${-buf}` : new FlightWriter(buf);
};

/**
 * Test hook (GMEMCHECK_VM_CRASH_AFTER_OPS on the host, for test/vm/ only): crash the guest kernel
 * through /proc/sysrq-trigger right after the recorder saw that many ops, so the host's handling
 * of a guest kernel report (finding folder, sequence in flight, exit 1) is tested for real.
 */
const crashAfter = (n: number | undefined, inner: FlightRecorder): FlightRecorder => {
  if (n === undefined) return inner;
  let seen = 0;
  return {
    caseStart: (profile) => inner.caseStart(profile),
    op: (op) => {
      inner.op(op);
      if (++seen === n) writeFileSync('/proc/sysrq-trigger', 'c');
    },
  };
};

const kvmModule = (): string =>
  existsSync('/sys/module/kvm_amd') ? 'kvm_amd' : existsSync('/sys/module/kvm_intel') ? 'kvm_intel' : existsSync('/dev/kvm') ? 'built in' : 'none';

/**
 * Keeps KVM's static keys from flipping during the run: one VM (kvm_usage_count, the first/last
 * VM hooks) and one vCPU without an in-kernel local APIC (kvm_has_noapic_vcpu) stay open until
 * the process exits. Returns why it could not, or undefined.
 */
const holdVm = (): string | undefined => {
  const { binding: b } = loadBinding();
  if (!b) return 'native addon not loadable';
  const kvm = b.openKvm();
  if (kvm < 0) return `open /dev/kvm: errno ${-kvm}`;
  const vm = b.ioctlInt(kvm, IOCTL.KVM_CREATE_VM, 0);
  if (vm < 0) return `KVM_CREATE_VM: errno ${-vm}`;
  const vcpu = b.ioctlInt(vm, IOCTL.KVM_CREATE_VCPU, 0);
  return vcpu < 0 ? `KVM_CREATE_VCPU: errno ${-vcpu}` : undefined;
};

const guestMain = async (jobFile: string): Promise<number> => {
  const fd = openSync(controlPort(), 'w');
  const send = (f: Frame): void => {
    writeSync(fd, encodeFrame(f));
  };
  const job = parseJob(readFileSync(jobFile, 'utf8'));
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  send({ t: 'hello', release: release(), uptime, kvm: kvmModule(), ...configCheck() });
  const memory = flightMemory();
  const io: Io = {
    out: (s) => send({ t: 'out', s }),
    err: (s) => send({ t: 'err', s }),
    status: (s) => send({ t: 'status', s }),
    tty: job.tty,
    // Per-op lines on the port cost ~160 µs each under TCG; ivshmem memory costs a store.
    flight: crashAfter(job.crashAfterOps, typeof memory !== 'string' ? memory : {
      caseStart: (profile: string) => send({ t: 'case', profile }),
      op: (op: Op) => send({ t: 'op', op }),
    }),
  };
  if (typeof memory === 'string') io.err(`gmemcheck vm: flight recorder on the control port (${memory}): slower`);
  let code: number;
  const avail = guestMemfdAvailable();
  if (!avail.ok && job.argv[0] !== 'rules') {
    io.err(`gmemcheck vm: the guest kernel ${release()} cannot be tested: ${avail.reason}`);
    code = EXIT.INFRA;
  } else {
    const held = avail.ok ? holdVm() : undefined;
    if (held !== undefined) io.err(`gmemcheck vm: warning: could not hold a VM open against the MTTCG oops (${held})`);
    process.chdir(job.cwd);
    code = await main(job.argv, io);
  }
  send({ t: 'exit', code });
  closeSync(fd);
  return code;
};

const jobFile = process.argv[2];
if (jobFile === undefined) {
  process.stderr.write('usage: guest.mjs <job.json>\n');
  process.exit(2);
}
guestMain(jobFile).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`gmemcheck vm (guest): ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(3);
  },
);
