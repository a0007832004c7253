import { describe, expect, it } from 'vitest';
import { fileSvg } from '../../../models/html/pages-svg.js';
import { HUGE_FILE } from './fixtures.js';

describe('file picture', () => {
  const svg = fileSvg(HUGE_FILE);

  it('draws one rect per run in each of the six attribute lanes', () => {
    expect(svg.match(/<rect class="run /g)).toHaveLength(4 * 6);
  });

  it('shows data, binding, policy, uffd and direct-map removal where the view has them', () => {
    for (const cls of ['m-data', 'm-zero', 'm-none', 'slot', 'pol', 'uffd', 'dm-off', 's-private']) expect(svg).toContain(`run ${cls}"`);
  });

  it('labels the page ranges of a 2^50-page file compactly', () => {
    expect(svg).toContain('>2^50<');
    expect(svg).toContain('>2^40<');
    expect(svg).toContain('p2^40 (1 page)');
  });
});
