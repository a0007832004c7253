/** `gmemcheck --version`: the package's name and version (the agent says it in its hello too). */
import { readFileSync } from 'node:fs';

export const version = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `gmemcheck ${pkg.version ?? '?'}`;
};
