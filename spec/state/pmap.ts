/**
 * A persistent map from small non-negative integers (handles, inode ids) to values: a 32-way
 * trie with path copying, as deep as the largest key needs. An update copies O(log32 n) small
 * arrays, so long sequences with many live handles stay cheap. It implements ReadonlyMap.
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node<V> = readonly (Node<V> | V | undefined)[];

export class PMap<V> implements ReadonlyMap<number, V> {
  private constructor(
    private readonly root: Node<V>,
    /** Bits covered below the root: keys < 2^(shift + BITS). */
    private readonly shift: number,
    readonly size: number,
  ) {}

  static empty<V>(): PMap<V> {
    return new PMap<V>([], 0, 0);
  }

  get(k: number): V | undefined {
    if (k < 0 || !Number.isInteger(k) || k >= 2 ** (this.shift + BITS)) return undefined;
    let node: Node<V> = this.root;
    for (let sh = this.shift; sh > 0; sh -= BITS) {
      const next = node[Math.floor(k / 2 ** sh) & MASK] as Node<V> | undefined;
      if (next === undefined) return undefined;
      node = next;
    }
    return node[k & MASK] as V | undefined;
  }

  has(k: number): boolean {
    return this.get(k) !== undefined;
  }

  /** A map with k set to v (v undefined: k removed). */
  with(k: number, v: V | undefined): PMap<V> {
    if (k < 0 || !Number.isInteger(k)) throw new RangeError(`PMap key ${k}`);
    const had = this.get(k) !== undefined;
    if (v === undefined && !had) return this;
    let root = this.root;
    let shift = this.shift;
    while (k >= 2 ** (shift + BITS)) {
      root = this.size === 0 ? [] : [root];
      shift += BITS;
    }
    const put = (node: Node<V> | undefined, sh: number): Node<V> => {
      const copy = node === undefined ? [] : node.slice();
      const i = Math.floor(k / 2 ** sh) & MASK;
      copy[i] = sh === 0 ? v : put(copy[i] as Node<V> | undefined, sh - BITS);
      return copy;
    };
    return new PMap<V>(put(root, shift), shift, this.size + (v === undefined ? -1 : had ? 0 : 1));
  }

  *entries(): MapIterator<[number, V]> {
    const walk = function* (node: Node<V>, sh: number, base: number): Generator<[number, V]> {
      for (let i = 0; i < node.length; i++) {
        const c = node[i];
        if (c === undefined) continue;
        const key = base + i * 2 ** sh;
        if (sh === 0) yield [key, c as V];
        else yield* walk(c as Node<V>, sh - BITS, key);
      }
    };
    yield* walk(this.root, this.shift, 0);
  }

  *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  forEach(f: (v: V, k: number, m: ReadonlyMap<number, V>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }
}
