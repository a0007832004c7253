/**
 * Three projects: `unit` (gmemcheck's own tests); `emulator` (the conformance properties against
 * the emulator under every preset; properties/emulator/ runs only there); `native` (the same
 * properties against this machine's kernel through /dev/kvm; properties/native/ runs only there;
 * each test says why it skips when /dev/kvm is unusable). A project's target reaches the tests
 * through `provide`; GMEMCHECK_TARGET overrides it.
 */
import { defineConfig } from 'vitest/config';

const properties = ['properties/**/*.prop.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './test/reporters/summary.ts'],
    testTimeout: 120_000,
    setupFiles: ['./test/setup/fast-check-seed.ts'],
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'emulator', include: properties, exclude: ['properties/native/**'], provide: { target: 'emulator' } },
      },
      {
        extends: true,
        test: { name: 'native', include: properties, exclude: ['properties/emulator/**'], provide: { target: 'native' } },
      },
    ],
  },
});
