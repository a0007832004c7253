/**
 * Rules for generic kernel behaviour that kernel-rules.md does not number (EBADF on a closed fd,
 * shmem control-backing behaviour, ...). Ids are GEN-<name>; `src` is an upstream source path.
 */
import type { CatalogueEntry } from './entry.js';

export const GENERIC_RULES: readonly CatalogueEntry[] = [];
