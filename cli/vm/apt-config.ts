/**
 * A private apt configuration for fetching Debian's newest kernel without touching the machine's
 * apt setup: its own sources list (the `unstable` suite, on the archive URI the machine's own
 * sources already use; no host name is written in this code), its own state and cache
 * directories, and the dpkg status file /dev/null, so nothing is installed and the machine's
 * package candidates stay what they were. Pure functions; ./apt.ts runs apt with them.
 */
import * as path from 'node:path';

export interface AptSource {
  readonly uri: string;
  readonly signedBy?: string;
}

/** Thrown when no Debian archive can be found in the machine's sources (the message says where we looked). */
export class NoArchiveError extends Error {
  override name = 'NoArchiveError';
}

const isMainArchive = (uri: string, suites: readonly string[]): boolean =>
  // The security archive carries only security suites (bookworm-security); it has no unstable.
  !suites.some((s) => s.endsWith('-security')) && !/security/.test(uri) && /^(https?|file|ftp):/.test(uri);

/** deb822 stanzas (/etc/apt/sources.list.d/*.sources): Types, URIs, Suites, Signed-By. */
export const parseDeb822 = (text: string): AptSource[] => {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) {
        last = m[1]!.toLowerCase();
        fields.set(last, m[2]!.trim());
      } else if (/^\s+\S/.test(line) && last) fields.set(last, `${fields.get(last)} ${line.trim()}`);
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    const signedBy = fields.get('signed-by');
    // An inline key (a multi-line PGP block) cannot be passed as a path; keep only file paths.
    const key = signedBy && signedBy.startsWith('/') && !signedBy.includes(' ') ? signedBy : undefined;
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) {
      if (isMainArchive(uri, suites)) out.push({ uri: uri.replace(/\/+$/, ''), ...(key ? { signedBy: key } : {}) });
    }
  }
  return out;
};

/** One-line sources (/etc/apt/sources.list): `deb [opts] URI suite components`. */
export const parseOneLine = (text: string): AptSource[] => {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const opts = m[1] ?? '';
    const signedBy = /signed-by=(\S+)/.exec(opts)?.[1];
    if (isMainArchive(m[2]!, [m[3]!])) out.push({ uri: m[2]!.replace(/\/+$/, ''), ...(signedBy ? { signedBy } : {}) });
  }
  return out;
};

/** The archive to use: the first main (non-security) Debian source found, in file order. */
export const pickArchive = (files: readonly { readonly name: string; readonly text: string }[]): AptSource => {
  for (const f of files) {
    const found = f.name.endsWith('.sources') ? parseDeb822(f.text) : parseOneLine(f.text);
    if (found.length > 0) return found[0]!;
  }
  throw new NoArchiveError(
    `no Debian archive found in the machine's apt sources (${files.map((f) => f.name).join(', ') || 'none readable'}); ` +
    '--kernel debian needs one to fetch the kernel from (or pass --kernel PATH)',
  );
};

/** The one line of the private sources list: the unstable suite's main component on that archive. */
export const sourcesLine = (src: AptSource, suite = 'unstable'): string =>
  `deb ${src.signedBy ? `[signed-by=${src.signedBy}] ` : ''}${src.uri} ${suite} main\n`;

/** Directories of the private configuration, under one root in the cache. */
export const aptDirs = (root: string) => ({
  root,
  sourceList: path.join(root, 'sources.list'),
  lists: path.join(root, 'lists'),
  cache: path.join(root, 'cache'),
});

/** The -o options that make apt-get/apt-cache use only the private configuration. */
export const aptOptions = (root: string): string[] => {
  const d = aptDirs(root);
  return [
    `Dir::Etc::SourceList=${d.sourceList}`,
    'Dir::Etc::SourceParts=/dev/null',
    `Dir::State::Lists=${d.lists}`,
    `Dir::Cache=${d.cache}`,
    'Dir::State::status=/dev/null',
    // Our own lists and cache are ours alone: no need for the machine's apt lock.
    'Debug::NoLocking=1',
    // Downloads land in our cache directory, which the _apt sandbox user may not be able to write.
    'APT::Sandbox::User=root',
  ].flatMap((o) => ['-o', o]);
};

/** Debian version order (dpkg --compare-versions) for the upstream part of kernel versions like 7.2.13+deb14. */
export const compareKernelVersions = (a: string, b: string): number => {
  const parts = (v: string) => v.split(/[^0-9]+/).filter(Boolean).map(Number);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
};

/**
 * From `apt-cache search` output, the newest flavour's kernel ABI name (e.g. "7.2.13+deb14"):
 * linux-image-<abi>-<flavour> packages, the metapackages (linux-image-amd64) excluded.
 */
export const newestKernel = (searchOutput: string, flavour = 'amd64'): string | undefined => {
  // The ABI part: 7.2.13+deb14 (trixie and later) or 6.1.0-28 (bookworm); a flavour such as
  // "-cloud" or "-rt" before the architecture does not match, nor do -dbg / -unsigned packages.
  const re = new RegExp(`^linux-image-(\\d+\\.\\d+(?:\\.\\d+)*(?:-\\d+)?(?:\\+[a-z]*\\d+)?)-${flavour}\\s`, 'gm');
  return [...searchOutput.matchAll(re)].map((m) => m[1]!).sort(compareKernelVersions).at(-1);
};

/** The package names in a `Depends:` line that belong to the kernel (linux-base/binary/modules-…). */
export const kernelDepends = (showOutput: string, abi: string): string[] => {
  const dep = /^Depends:\s*(.*)$/m.exec(showOutput)?.[1] ?? '';
  return dep.split(',').map((d) => d.trim().split(/\s+/)[0]!).filter((n) => n.startsWith('linux-') && n.includes(abi));
};
