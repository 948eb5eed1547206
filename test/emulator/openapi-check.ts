/**
 * A small JSON-Schema subset checker over the OpenAI OpenAPI spec's components: $ref, allOf, anyOf/oneOf
 * (any branch), type (with nullable), enum, required, properties, items. Enough to catch missing or
 * mistyped required fields in emulator output; it ignores formats and additionalProperties.
 */
import { readFileSync } from 'node:fs';

type Schema = Record<string, unknown>;
const spec = JSON.parse(readFileSync('/work/shared/specs/openai-openapi.json', 'utf8')) as {
  components: { schemas: Record<string, Schema> };
};
const schemas = spec.components.schemas;

function resolve(s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref === 'string') {
    const target = schemas[ref.split('/').pop() as string];
    if (!target) throw new Error(`unknown $ref ${ref}`);
    return target;
  }
  return s;
}

function typeOk(type: unknown, v: unknown): boolean {
  if (v === null) return type === 'null';
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && !Array.isArray(v);
    default:
      return true;
  }
}

/** Returns a list of problems (empty = valid). */
export function check(schemaOrName: Schema | string, value: unknown, path = '$', depth = 0): string[] {
  if (depth > 40) return [];
  const original = typeof schemaOrName === 'string' ? { $ref: `#/components/schemas/${schemaOrName}` } : schemaOrName;
  // `nullable` may sit beside a $ref (OpenAPI 3.0 style), so honour it before resolving.
  if (value === null && original.nullable === true) return [];
  const s = resolve(original);
  const errors: string[] = [];
  if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) errors.push(...check(sub, value, path, depth + 1));
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(alternatives)) {
    const results = alternatives.map((a) => check(a, value, path, depth + 1));
    if (!results.some((r) => r.length === 0)) {
      const best = results.sort((a, b) => a.length - b.length)[0] ?? [];
      errors.push(`${path}: matches no alternative (closest: ${best.slice(0, 3).join('; ')})`);
    }
  }
  if (value === null) {
    if (s.nullable === true || s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return errors;
    if (s.type !== undefined) errors.push(`${path}: null not allowed`);
    return errors;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeOk(t, value)))
      errors.push(`${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 60)}`);
  }
  if (Array.isArray(s.enum) && !s.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in enum ${JSON.stringify(s.enum).slice(0, 120)}`);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) if (!(key in obj)) errors.push(`${path}.${key}: required`);
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const [key, sub] of Object.entries(props)) if (key in obj) errors.push(...check(sub, obj[key], `${path}.${key}`, depth + 1));
  }
  if (Array.isArray(value) && s.items)
    for (const [i, item] of value.entries()) errors.push(...check(s.items as Schema, item, `${path}[${i}]`, depth + 1));
  return errors;
}
