/** Writes the addon glue derived from gm_sys.c (`npx tsx scripts/gen-native-glue.ts`; see ./native-glue.ts). */
import { writeFileSync } from 'node:fs';
import { GLUE_PATHS, glueFiles } from './native-glue.js';

const files = glueFiles();
for (const k of ['prototypes', 'exports', 'binding'] as const) {
  writeFileSync(GLUE_PATHS[k], files[k]);
  console.log(`wrote ${GLUE_PATHS[k]}`);
}
