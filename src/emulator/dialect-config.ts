/** Configuration of the endpoint dialects (endpoint-dialect.ts): names, defaults and validation. */
import { validateRealism } from './realism.ts';

export type Dialect = 'azure' | 'openai' | 'bare';
export const dialects: readonly Dialect[] = ['azure', 'openai', 'bare'];

/** The bare dialect's in-flight cap when `maxInFlight` is not set. */
export const BARE_DEFAULT_MAX_IN_FLIGHT = 8;

/** Validation of `dialect`, `realism` and `maxInFlight` on `deployments[i]`. */
export function validateDialectFields(
  issues: string[],
  p: string,
  dep: { dialect?: unknown; realism?: unknown; maxInFlight?: unknown },
): void {
  if (dep.dialect !== undefined && !dialects.includes(dep.dialect as Dialect))
    issues.push(`${p}.dialect: expected one of ${dialects.join(', ')}, got ${JSON.stringify(dep.dialect)}`);
  validateRealism(issues, `${p}.realism`, dep.realism);
  const cap = dep.maxInFlight;
  if (cap !== undefined && !(typeof cap === 'number' && Number.isInteger(cap) && cap >= 1))
    issues.push(`${p}.maxInFlight: expected an integer >= 1, got ${String(cap)}`);
}
