/**
 * `npm run test:vm`: the tests that boot a kernel under QEMU (test/vm/). Not part of `npm test`,
 * which stays hermetic (no QEMU, no download). One file at a time: each boots its own VMs and the
 * machines have two cores.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/vm/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['default'],
  },
});
