/** Writes docs/rules.md from the catalogue (spec/catalogue). Run after editing the catalogue. */
import { writeFileSync } from 'node:fs';
import { CATALOGUE } from '../spec/catalogue/index.js';
import { rulesDoc } from '../spec/catalogue/render-doc.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), rulesDoc(CATALOGUE));
console.log(`docs/rules.md: ${CATALOGUE.size} rules`);
