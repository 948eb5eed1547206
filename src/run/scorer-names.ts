/** The builtin scorer names, for config resolution (config/ and cli/ may not import scoring/ directly). */
export { builtinScorerNames } from '../scoring/registry.ts';
