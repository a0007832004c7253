/**
 * In CI every fast-check run without an explicit seed gets a fixed one, so a CI verdict is
 * reproducible (properties/_support/run.ts derives per-property seeds the same way). Developer
 * runs keep fast-check's random seeds and explore new inputs each time.
 */
import fc from 'fast-check';

if (process.env['CI'] && !process.env['GMEMCHECK_SEED']) fc.configureGlobal({ seed: 20261122 });
