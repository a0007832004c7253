/**
 * The addon's glue is derived from gm_sys.c (scripts/native-glue.ts): the prototypes, the N-API
 * functions of the scalar wrappers and their TypeScript signatures must be what the generator
 * writes, and the generator must refuse what it cannot glue rather than emit a wrong conversion.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLUE_PATHS, GlueError, cFunctions, exported, glueFiles } from '../../../scripts/native-glue.js';

describe('the native glue generated from gm_sys.c', () => {
  it('the committed gm_sys_fns.h, gm_exports.inc and binding-gen.ts are current (regenerate: npx tsx scripts/gen-native-glue.ts)', () => {
    const want = glueFiles();
    for (const k of ['prototypes', 'exports', 'binding'] as const) expect(readFileSync(GLUE_PATHS[k], 'utf8'), GLUE_PATHS[k]).toBe(want[k]);
  });

  it('reads definitions, skips static helpers, and takes the JavaScript name from the leading comment', () => {
    const fns = cFunctions([
      'static long gm_rc(long r) { return r; }',
      '/* why (addon: msync) */\nlong gm_msync(uint64_t addr, uint64_t len,\n\t      int flags)\n{\n\treturn 0;\n}',
      'long gm_fstat(int fd, struct gm_stat *st)\n{\n\treturn 0;\n}',
    ].join('\n\n'));
    expect(fns.map((f) => f.name)).toEqual(['gm_msync', 'gm_fstat']);
    expect(fns[0]).toMatchObject({ js: 'msync', signature: 'long gm_msync(uint64_t addr, uint64_t len, int flags)' });
    expect(fns[1]!.params[1]).toEqual({ type: 'struct gm_stat *', name: 'st' });
    expect(exported(fns).map((f) => f.js)).toEqual(['msync']);
  });

  it('refuses to glue a pointer argument, a non-long result or a JavaScript name used twice', () => {
    const one = (src: string) => () => exported(cFunctions(src));
    expect(one('/* addon: f */\nlong gm_f(uint8_t *buf) { return 0; }')).toThrow(GlueError);
    expect(one('/* addon: f */\nint gm_f(int x) { return 0; }')).toThrow(/long result/);
    expect(one('/* addon: f */\nlong gm_f(int x) { return 0; }\n\n/* addon: f */\nlong gm_g(int x) { return 0; }')).toThrow(/twice/);
  });
});
