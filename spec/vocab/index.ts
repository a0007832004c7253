/** The shared vocabulary: the only part of spec/ that adapters may import (see properties/meta). */
export * from './handles.js';
export * from './ops.js';
export * from './outcome.js';
export * from './errno.js';
export * from './uapi.js';
export * from './profile.js';
export * from './codec.js';
export * from './errors.js';
export * from './target.js';
export * from './probe.js';
export * from './probe-ops.js';
