/** C literals for generated reproducers: safe strings and comments (numbers: spec/vocab/render-c.ts). */

/** A C string literal: printable ASCII as is, everything else (and '?', against trigraphs) as octal escapes. */
export const cstr = (s: string): string => {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (b >= 0x20 && b < 0x7f && c !== '?') out += c;
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
};

/** Text safe inside a C block comment. */
export const ccomment = (s: string): string => s.replace(/\*\//g, '* /').replace(/\n/g, ' ');
