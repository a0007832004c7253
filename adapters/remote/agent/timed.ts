/** Races a backend call against a deadline without ever leaving a rejection unhandled. */
export type Timed<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'timeout' };

export const timed = <T>(p: Promise<T>, ms: number): Promise<Timed<T>> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
    p.then(
      (value) => { clearTimeout(timer); resolve({ kind: 'done', value }); },
      (error: unknown) => { clearTimeout(timer); resolve({ kind: 'failed', error }); },
    );
  });
