/**
 * A stand-in for qemu-system-x86_64 in the session tests: a shell script that finds the console
 * and control files in its arguments, as QEMU would open them, and plays one scenario
 * (FAKE_QEMU_MODE) with its pid in FAKE_QEMU_PIDFILE. No QEMU, no kernel, no network.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const SCRIPT = `#!/bin/sh
[ -n "$FAKE_QEMU_PIDFILE" ] && echo $$ > "$FAKE_QEMU_PIDFILE"
for a in "$@"; do
  case "$a" in
    file,id=console,path=*) CONSOLE="\${a#file,id=console,path=}" ;;
    file,id=control,path=*) CONTROL="\${a#file,id=control,path=}" ;;
  esac
done
case "$FAKE_QEMU_MODE" in
  exit)
    echo "gmemcheck-init: stage modules 2.00" >> "$CONSOLE"
    echo '{"t":"hello","release":"7.2.13-fake","uptime":4.5,"kvm":"kvm_amd","missing":[],"weak":[]}' >> "$CONTROL"
    echo '{"t":"out","s":"PASS  guest"}' >> "$CONTROL"
    echo 'garbage line' >> "$CONTROL"
    echo '{"t":"case","profile":"p"}' >> "$CONTROL"
    echo '{"t":"op","op":{"kind":"createVm","id":0,"type":0}}' >> "$CONTROL"
    echo '{"t":"exit","code":1}' >> "$CONTROL"
    sleep 0.3
    echo "gmemcheck-init: exit 1" >> "$CONSOLE"
    exit 0 ;;
  report)
    echo '{"t":"hello","release":"7.2.13-fake","uptime":4.5,"kvm":"kvm_amd","missing":[],"weak":[]}' >> "$CONTROL"
    echo "[   12.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008" >> "$CONSOLE"
    echo "[   12.000001] Call Trace:" >> "$CONSOLE"
    exec sleep 60 ;;
  hello-hang)
    echo '{"t":"hello","release":"7.2.13-fake","uptime":4.5,"kvm":"kvm_amd","missing":[],"weak":[]}' >> "$CONTROL"
    exec sleep 60 ;;
  *) exec sleep 60 ;;
esac
`;

export const fakeQemu = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmc-fakeqemu-'));
  const bin = path.join(dir, 'qemu-system-x86_64');
  writeFileSync(bin, SCRIPT);
  chmodSync(bin, 0o755);
  return bin;
};

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
