/**
 * Validation of a batch input file (§9.6 step 1), in the documented order: BOM / non-UTF-8, invalid JSON,
 * too many tasks, empty file, duplicate custom_id, URL mismatch, model mismatch, unknown deployment,
 * non-batch SKU. The first failure wins and names its 1-based line where one applies.
 */
import type { Sku } from './config.ts';

export interface BatchLine {
  customId: string;
  url: string;
  body: Record<string, unknown>;
}

export interface BatchValidationError {
  code: string;
  message: string;
  line: number | null;
}

export interface ValidInput {
  lines: BatchLine[];
  deployment: string;
  api: 'chat' | 'responses';
}

export const MAX_TASKS = 100_000;
const URLS: Record<string, 'chat' | 'responses'> = {
  '/v1/chat/completions': 'chat',
  '/chat/completions': 'chat',
  '/v1/responses': 'responses',
  '/responses': 'responses',
};
const fail = (code: string, message: string, line: number | null = null): BatchValidationError => ({ code, message, line });

/** Splits JSONL, ignoring a trailing newline and blank lines (their numbers still count). */
function splitLines(text: string): Array<{ n: number; text: string }> {
  const out: Array<{ n: number; text: string }> = [];
  text.split('\n').forEach((t, i) => {
    const s = t.replace(/\r$/, '');
    if (s.trim() !== '') out.push({ n: i + 1, text: s });
  });
  return out;
}

function parseLines(text: string): BatchLine[] | BatchValidationError {
  const lines: BatchLine[] = [];
  for (const { n, text: t } of splitLines(text)) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return fail(
        'invalid_json_line',
        `A line in your input file wasn't able to be parsed as JSON. Please ensure the formatting is correct and try again. (line ${n})`,
        n,
      );
    }
    const o = v as { custom_id?: unknown; url?: unknown; body?: unknown; method?: unknown } | null;
    if (
      typeof o !== 'object' ||
      o === null ||
      typeof o.custom_id !== 'string' ||
      typeof o.url !== 'string' ||
      typeof o.body !== 'object' ||
      o.body === null ||
      (o.method !== undefined && o.method !== 'POST')
    ) {
      return fail(
        'invalid_request',
        `The input file has an invalid schema on line ${n}: every line needs custom_id (string), method "POST", url and body (object).`,
        n,
      );
    }
    lines.push({ customId: o.custom_id, url: o.url, body: o.body as Record<string, unknown> });
  }
  return lines;
}

/** `deployments` maps a name to its SKU (undefined = standard). */
export function validateBatchInput(content: Buffer, deployments: ReadonlyMap<string, Sku | undefined>): ValidInput | BatchValidationError {
  const modelMissing =
    'Validation failed: A valid model deployment name couldn\'t be extracted from the input file. Please ensure that each row in the input file has a valid deployment name specified in the "model" field, and that the deployment name is consistent across all rows.';
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return fail('model_not_found', modelMissing); // the misleading BOM message (§9.2)
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return fail('invalid_json_line', 'The input file is not valid UTF-8.');
  }
  const lines = parseLines(text);
  if (!Array.isArray(lines)) return lines;
  if (lines.length > MAX_TASKS)
    return fail(
      'too_many_tasks',
      `The number of tasks in the input file (${lines.length}) exceeds the maximum of ${MAX_TASKS}. Please reduce the number of tasks and try again.`,
    );
  if (lines.length === 0) return fail('empty_file', 'The input file is empty. Please ensure that the batch contains at least one request.');
  const seen = new Set<string>();
  for (const [i, l] of lines.entries()) {
    if (seen.has(l.customId))
      return fail(
        'duplicate_custom_id',
        `The custom ID "${l.customId}" is duplicated in the input file on line ${i + 1}. Every custom_id must be unique.`,
        i + 1,
      );
    seen.add(l.customId);
  }
  const first = lines[0] as BatchLine;
  for (const [i, l] of lines.entries()) {
    if (URLS[l.url] === undefined || l.url.replace(/^\/v1/, '') !== first.url.replace(/^\/v1/, '')) {
      return fail(
        'url_mismatch',
        `The provided URL on line ${i + 1} ("${l.url}") doesn't match the URL of the other lines, or is not a supported batch URL (/v1/chat/completions, /v1/responses).`,
        i + 1,
      );
    }
  }
  const model = first.body.model;
  for (const [i, l] of lines.entries()) {
    if (l.body.model !== model)
      return fail(
        'model_mismatch',
        `The provided model deployment on line ${i + 1} doesn't match the other lines. All lines in a batch file must use the same deployment.`,
        i + 1,
      );
  }
  if (typeof model !== 'string' || !deployments.has(model)) return fail('model_not_found', modelMissing, 1);
  const sku = deployments.get(model);
  if (sku !== 'globalBatch' && sku !== 'dataZoneBatch') {
    return fail(
      'invalid_request',
      `The provided model deployment '${model}' is not a batch deployment. Please make sure the Azure OpenAI deployment SKU is \`globalbatch\` for batch API requests.`,
      null,
    );
  }
  return { lines, deployment: model, api: URLS[first.url] as 'chat' | 'responses' };
}
