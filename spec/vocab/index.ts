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
export { RANGES, type Abi, type Field, type Fields, type HandleClass, type TextHint, type TypeOf, type ValuesOf } from './field.js';
export * from './render-text.js';
export * from './validate.js';
export * from './op-handles.js';
export * from './conventions.js';
export * from './render-c.js';
export * from './domains.js';
