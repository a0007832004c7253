/**
 * A template is one generated step before resolution: model-independent parameters plus a
 * `resolve` that turns them into a concrete Op against the handles created so far. Shrinking acts
 * on the parameters; resolution keeps every shrunk sequence well-formed.
 */
import type fc from 'fast-check';
import type { Op, OpKind } from '../../spec/vocab/index.js';
import type { GenContext } from './context.js';

export interface Template {
  readonly kind: OpKind;
  resolve(ctx: GenContext): Op;
}

export type TemplateArbs = Partial<Record<OpKind, fc.Arbitrary<Template>>>;

export const template = (kind: OpKind, resolve: (ctx: GenContext) => Op): Template => {
  // toString keeps fast-check's own counterexample print short; reports print resolved ops instead.
  const t = { kind, resolve, toString: () => `<${kind}>` };
  return t;
};
