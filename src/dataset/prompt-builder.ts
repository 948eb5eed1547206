/**
 * Builds the PromptInput of each row from the config's `prompt` (template, function or default).
 * Rows carrying `messages` are sent as is. System prompts are not added here: they belong to the
 * target's parameters and the provider prepends them.
 */
import { basename } from 'node:path';
import { ConfigError, DatasetError, toError } from '../errors.ts';
import type { PromptInput, Row } from '../types.ts';
import type { Dataset } from './dataset.ts';
import { compileTemplate, missingFieldMessage, missingPlaceholders, type TemplateRenderer } from './template.ts';

/** Columns the default template reads, first match wins. */
export const DEFAULT_PROMPT_COLUMNS = ['prompt', 'question'] as const;

export type PromptSpec = string | ((row: Row) => string | PromptInput) | undefined;

export interface PromptBuilder {
  /** The compiled template, when the prompt is (or defaults to) a template. */
  readonly template: TemplateRenderer | undefined;
  /** The row's prompt. @throws DatasetError when the row lacks a template column, or the prompt function fails */
  build(row: Row): PromptInput;
  /** Problem with this row (missing template columns), or undefined, without building it. */
  check(row: Row): DatasetError | undefined;
}

/**
 * Compiles the prompt against the dataset's columns. With no prompt configured, uses `{{prompt}}` or
 * `{{question}}` when such a column exists; otherwise every row must carry `messages`.
 * @throws ConfigError when a template column is missing from the header
 */
export function createPromptBuilder(prompt: PromptSpec, dataset: Pick<Dataset, 'columns' | 'path'>): PromptBuilder {
  const file = basename(dataset.path);
  const source = prompt ?? defaultTemplate(dataset.columns);
  const template = typeof source === 'string' ? compileTemplate(source, dataset.columns, file) : undefined;
  const check = (row: Row): DatasetError | undefined => {
    if (row.messages !== undefined || typeof source === 'function') return undefined;
    if (template === undefined) return new DatasetError(file, row.line, undefined, noPromptMessage(dataset.columns));
    const missing = missingPlaceholders(template, row);
    return missing.length === 0 ? undefined : new DatasetError(file, row.line, undefined, missingFieldMessage(missing));
  };
  return {
    template,
    check,
    build(row) {
      if (row.messages !== undefined) return { messages: row.messages };
      if (typeof source === 'function') return fromFunction(source, row, file);
      const problem = check(row);
      if (problem !== undefined || template === undefined) throw problem ?? new ConfigError([noPromptMessage(dataset.columns)]);
      return { messages: [{ role: 'user', content: template(row) }] };
    },
  };
}

// --- internal ---

function defaultTemplate(columns: readonly string[]): string | undefined {
  const column = DEFAULT_PROMPT_COLUMNS.find((name) => columns.includes(name));
  return column === undefined ? undefined : `{{${column}}}`;
}

function noPromptMessage(columns: readonly string[]): string {
  return `no prompt: the dataset has no "prompt" or "question" column and the row has no "messages"; set prompt: "…{{column}}…" in the config (columns: ${columns.join(', ')})`;
}

function fromFunction(prompt: (row: Row) => string | PromptInput, row: Row, file: string): PromptInput {
  let result: string | PromptInput;
  try {
    result = prompt(row);
  } catch (error) {
    throw new DatasetError(file, row.line, undefined, `the prompt function threw: ${toError(error).message}`, { cause: error });
  }
  if (typeof result === 'string') return { messages: [{ role: 'user', content: result }] };
  if (result !== null && typeof result === 'object' && Array.isArray(result.messages)) return result;
  throw new DatasetError(file, row.line, undefined, 'the prompt function must return a string or { messages: [{ role, content }] }');
}
