/**
 * Streams JSONL rows line by line (BOM and CRLF tolerated, blank lines skipped). Each line must be a
 * JSON object; top-level scalars become fields (so `{{column}}` templates work), and a `messages`
 * array of {role, content} is sent as the conversation.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { DatasetError } from '../errors.ts';
import type { ChatMessage, ChatRole, Row } from '../types.ts';
import type { RowsOptions } from './dataset.ts';
import { jsonErrorColumn } from './json-error-position.ts';
import { createRowBuilder, pickExpectedColumn, type RowOptions, type RowRecord } from './row-builder.ts';

/** Keys of the first row (the JSONL "header"); reads only as far as the first non-blank line. */
export async function readJsonlColumns(path: string): Promise<string[]> {
  for await (const { text, line } of jsonlLines(path)) return Object.keys(parseObject(basename(path), text, line));
  throw new DatasetError(basename(path), undefined, undefined, 'empty file: expected one JSON object per line');
}

/** Every row, in order, streamed from disk. */
export async function* readJsonlRows(path: string, options: RowOptions, rowsOptions: RowsOptions = {}): AsyncGenerator<Row> {
  const file = basename(path);
  let builder: ReturnType<typeof createRowBuilder> | undefined;
  let empty = true;
  for await (const { text, line } of jsonlLines(path)) {
    empty = false;
    try {
      const object = parseObject(file, text, line);
      builder ??= createRowBuilder(file, options, pickExpectedColumn(Object.keys(object), options.expectedColumn), rowsOptions.idsChecked);
      yield builder.build(toRecord(file, object, line));
    } catch (error) {
      if (!(error instanceof DatasetError) || rowsOptions.onError === undefined) throw error;
      rowsOptions.onError(error);
    }
  }
  if (empty) throw new DatasetError(file, undefined, undefined, 'empty file: expected one JSON object per line');
}

// --- internal ---

const ROLES: readonly ChatRole[] = ['system', 'developer', 'user', 'assistant'];
const MESSAGES_SHAPE = '"messages" to be an array of {role: "system" | "developer" | "user" | "assistant", content: string}';

async function* jsonlLines(path: string): AsyncGenerator<{ text: string; line: number }> {
  const input = createReadStream(path, { encoding: 'utf8' });
  // crlfDelay: Infinity makes \r\n one line break however the chunks fall; read errors reach the loop.
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() !== '') yield { text, line };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(basename(path), undefined, undefined, `cannot read file (${(error as Error).message})`, { cause: error });
  } finally {
    lines.close();
    input.destroy();
  }
}

function parseObject(file: string, text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.replace(/ in JSON at position \d+ \(line \d+ column \d+\)$/, '');
    return fail(new DatasetError(file, line, jsonErrorColumn(text), `invalid JSON (${reason})`, { cause: error }));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return fail(new DatasetError(file, line, undefined, `expected a JSON object per line, got ${found}`));
  }
  return value as Record<string, unknown>;
}

function toRecord(file: string, object: Record<string, unknown>, line: number): RowRecord {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'messages' || value === null || value === undefined) continue;
    // Numbers and booleans read as text (an `answer: 42` is the string "42"); nested values as JSON.
    fields[key] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  if (object['messages'] === undefined) return { fields, line };
  return { fields, line, messages: toMessages(file, object['messages'], line) };
}

function toMessages(file: string, value: unknown, line: number): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw new DatasetError(file, line, undefined, `expected ${MESSAGES_SHAPE}`);
  return value.map((message: unknown, index) => {
    const role = (message as { role?: unknown } | null)?.role;
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof role !== 'string' || !ROLES.includes(role as ChatRole) || typeof content !== 'string') {
      throw new DatasetError(file, line, undefined, `messages[${index}]: expected ${MESSAGES_SHAPE}`);
    }
    return { role: role as ChatRole, content };
  });
}

function fail(error: DatasetError): never {
  throw error;
}
