/**
 * Why this test? The addon installs a SIGSEGV handler, and V8 (through Node) owns SIGSEGV for
 * WebAssembly out-of-bounds traps. Chaining to the previous handler must keep
 * those traps working. The check runs in a child process so that a broken chain (a hang or a
 * crash) fails this test instead of wedging the test runner.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { ADDON_PATH } from '../../../adapters/native/_internals/binding.js';
import { describeNative } from './_support.js';

// A module with one page of memory and f(addr) = i32.load(addr): f(1 << 20) is out of bounds.
const WASM = [0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 5, 1, 1, 102, 0, 0,
  10, 9, 1, 7, 0, 32, 0, 40, 2, 0, 11];

const CHILD = `
const b = require(${JSON.stringify(ADDON_PATH)});
const f = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(WASM)}))).exports.f;
const trap = () => { try { f(1 << 20); return 'no trap'; } catch (e) { return e.constructor.name; } };
const before = trap();
// Faults the addon catches: SIGBUS on a page past a memfd's EOF, SIGSEGV on a PROT_READ store.
const eof = b.mmap(b.memfdCreate(4096n), 0n, 8192n, 3, true) + 4096n;
const ro = b.mmap(b.memfdCreate(4096n), 0n, 4096n, 1, true);
if (typeof eof !== 'bigint' || typeof ro !== 'bigint') throw new Error('mmap failed');
let caught = 0;
for (let i = 0; i < 5000; i++) { if (typeof b.access(eof, false, 0) !== 'number') caught++; if (typeof b.access(ro, true, 1) !== 'number') caught++; }
const chained0 = b.chainedCount();
const after = [trap(), trap(), trap()];
console.log(JSON.stringify({ before, caught, after, chained: b.chainedCount() - chained0, inBounds: f(8) }));
`;

describeNative('WebAssembly traps with the addon loaded', () => {
  it('an out-of-bounds wasm access still throws RuntimeError after thousands of caught faults', () => {
    const r = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.trim()) as { before: string; caught: number; after: string[]; chained: number; inBounds: number };
    expect(res.before).toBe('RuntimeError');
    expect(res.caught).toBe(10_000);
    expect(res.after).toEqual(['RuntimeError', 'RuntimeError', 'RuntimeError']);
    // The traps really went through our handler and were passed on to V8's.
    expect(res.chained).toBe(3);
    expect(res.inBounds).toBe(0);
  });
});
