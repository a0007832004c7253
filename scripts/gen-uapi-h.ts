/** Writes adapters/native/src/gm_uapi.h from spec/vocab/uapi.ts (`npx tsx scripts/gen-uapi-h.ts`). */
import { writeFileSync } from 'node:fs';
import { UAPI_H_PATH, uapiHeader } from '../spec/vocab/uapi-c.js';

writeFileSync(UAPI_H_PATH, uapiHeader());
console.log(`wrote ${UAPI_H_PATH}`);
