/**
 * `{{column}}` prompt templates (spaces inside the braces allowed), checked against the dataset's
 * columns before any request is sent, with a "did you mean" for near misses.
 */
import { ConfigError, DatasetError } from '../errors.ts';
import { closestMatch } from '../internal/did-you-mean.ts';
import type { Row } from '../types.ts';

/** A compiled template: call it with a row; `placeholders` lists the columns it reads. */
export type TemplateRenderer = ((row: Row) => string) & { readonly placeholders: readonly string[]; readonly source: string };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Column names used by a template, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1] ?? ''))];
}

/**
 * @param columns the dataset header (CSV) or first row's keys (JSONL)
 * @param file dataset file name, for messages
 * @throws ConfigError when the template uses a column the dataset does not have
 */
export function compileTemplate(template: string, columns: readonly string[], file: string): TemplateRenderer {
  const placeholders = templatePlaceholders(template);
  const problems = [
    ...unclosedPlaceholders(template, columns),
    ...placeholders.filter((name) => !columns.includes(name)).map((name) => unknownColumnMessage(name, columns, file)),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const render = (row: Row): string =>
    template.replace(PLACEHOLDER, (_match, name: string) => {
      const value = row.fields[name];
      if (value === undefined) throw new DatasetError(file, row.line, undefined, missingFieldMessage([name]));
      return value;
    });
  return Object.assign(render, { placeholders, source: template });
}

/** Placeholders of `renderer` that `row` lacks (JSONL rows need not share the first row's keys). */
export function missingPlaceholders(renderer: TemplateRenderer, row: Row): string[] {
  return renderer.placeholders.filter((name) => row.fields[name] === undefined);
}

/** `expected "question" (string) or "messages" (array of {role, content})`. */
export function missingFieldMessage(missing: readonly string[]): string {
  return `expected ${missing.map((name) => `"${name}"`).join(', ')} (string) or "messages" (array of {role, content})`;
}

// --- internal ---

function unknownColumnMessage(name: string, columns: readonly string[], file: string): string {
  const suggestion = closestMatch(name, columns);
  const hint = suggestion === undefined ? '' : ` (did you mean {{${suggestion}}}?)`;
  return `prompt: the template uses {{${name}}} but ${file} has columns ${columns.join(', ')}${hint}`;
}

/**
 * `{{question` without its `}}` would be sent to the model literally: one message per unclosed
 * placeholder, with its column in the template and the placeholder it most likely meant.
 */
function unclosedPlaceholders(template: string, columns: readonly string[]): string[] {
  // Blank out the well-formed placeholders (keeping offsets), then any `{{` left is unclosed.
  const rest = template.replace(PLACEHOLDER, (match) => ' '.repeat(match.length));
  const problems: string[] = [];
  for (let at = rest.indexOf('{{'); at >= 0; at = rest.indexOf('{{', at + 2)) {
    const name = /^\{\{\s*([A-Za-z0-9_.$-]*)/.exec(rest.slice(at))?.[1]?.trim() ?? '';
    const meant = name === '' ? undefined : columns.includes(name) ? name : closestMatch(name, columns);
    const shown = JSON.stringify(template.slice(at, at + 2 + Math.max(name.length, 1) + 1).trimEnd());
    problems.push(
      `prompt: unclosed placeholder ${shown} at column ${at + 1} of the template${meant === undefined ? '; close it with }}' : ` (did you mean {{${meant}}}?)`}`,
    );
  }
  return problems;
}
