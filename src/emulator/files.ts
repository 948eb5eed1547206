/**
 * The Files API of §9.1 in memory: multipart upload with purpose and `expires_after`, the 200 MB and
 * file-count limits, get, list with `after`/`limit` pagination, content and delete. Output and error
 * files of batches are added here too (purpose `batch_output`), outside the input-file count.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AzureError } from './azure-errors.ts';
import { azureErrors } from './azure-errors.ts';

export const MAX_FILE_BYTES = 200 * 1024 * 1024;
const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

export interface StoredFile {
  id: string;
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  expires_at: number | null;
  content: Buffer;
}

export interface FileLimits {
  maxFiles: number;
  maxFilesWithExpiry: number;
}

export type UploadFields = Map<string, { value: Buffer; filename?: string }>;

const notFound = (id: string): AzureError => ({
  status: 404,
  body: { error: { code: 'fileNotFound', message: `File with id '${id}' not found.`, type: 'invalid_request_error', param: null } },
});

/** The file object Azure returns (no content). */
export function fileObject(f: StoredFile) {
  return {
    id: f.id,
    object: 'file',
    bytes: f.bytes,
    created_at: f.created_at,
    filename: f.filename,
    purpose: f.purpose,
    status: 'processed',
    ...(f.expires_at === null ? {} : { expires_at: f.expires_at }),
  };
}

export class FileStore {
  readonly #files = new Map<string, StoredFile>();
  uploads = 0;

  get(id: string): StoredFile | undefined {
    return this.#files.get(id);
  }

  clear(): void {
    this.#files.clear();
    this.uploads = 0;
  }

  /** Adds a service-made file (batch output/error): no limits apply. */
  addOutput(filename: string, content: string, nowSec: number): StoredFile {
    const buf = Buffer.from(content, 'utf8');
    const f: StoredFile = {
      id: `file-${randomUUID()}`,
      bytes: buf.length,
      created_at: nowSec,
      filename,
      purpose: 'batch_output',
      expires_at: null,
      content: buf,
    };
    this.#files.set(f.id, f);
    return f;
  }

  upload(fields: UploadFields, nowSec: number, limits: FileLimits): StoredFile | AzureError {
    const purpose = fields.get('purpose')?.value.toString('utf8');
    const file = fields.get('file');
    if (purpose === undefined) return azureErrors.missingField('purpose');
    if (!PURPOSES.includes(purpose))
      return azureErrors.invalidRequest(`'${purpose}' is not one of ${JSON.stringify(PURPOSES)} - 'purpose'`, 'purpose', 'invalid_value');
    if (!file) return azureErrors.missingField('file');
    if (file.value.length > MAX_FILE_BYTES)
      return azureErrors.invalidRequest(
        `The file is too large: ${file.value.length} bytes. The maximum file size is ${MAX_FILE_BYTES} bytes (200 MB).`,
        'file',
        'file_too_large',
      );
    const anchor = (fields.get('expires_after[anchor]') ?? fields.get('expires_after.anchor'))?.value.toString('utf8');
    const secondsText = (fields.get('expires_after[seconds]') ?? fields.get('expires_after.seconds'))?.value.toString('utf8');
    let expiresAt: number | null = null;
    if (anchor !== undefined || secondsText !== undefined) {
      const seconds = Number(secondsText);
      if (anchor !== 'created_at')
        return azureErrors.invalidRequest(
          `Invalid 'expires_after.anchor': expected 'created_at'.`,
          'expires_after.anchor',
          'invalid_value',
        );
      if (!Number.isInteger(seconds) || seconds < 1_209_600 || seconds > 2_592_000) {
        return azureErrors.invalidRequest(
          `Invalid 'expires_after.seconds': expected an integer between 1209600 (14 days) and 2592000 (30 days), got ${secondsText}.`,
          'expires_after.seconds',
          'invalid_value',
        );
      }
      expiresAt = nowSec + seconds;
    }
    // 500 input files per resource, 10 000 when files expire (§9.1); service-made outputs do not count.
    const inputs = [...this.#files.values()].filter((f) => f.purpose !== 'batch_output');
    const limit = inputs.every((f) => f.expires_at !== null) && expiresAt !== null ? limits.maxFilesWithExpiry : limits.maxFiles;
    if (inputs.length >= limit)
      return azureErrors.invalidRequest(
        `The number of files has reached the limit of ${limit} for this resource. Delete files you no longer need${expiresAt === null ? `, or upload with expires_after to raise the limit to ${limits.maxFilesWithExpiry}` : ''}.`,
        'file',
        'quota_exceeded',
      );
    this.uploads++;
    const f: StoredFile = {
      id: `file-${randomBytes(16).toString('hex')}`,
      bytes: file.value.length,
      created_at: nowSec,
      filename: file.filename ?? 'file.jsonl',
      purpose,
      expires_at: expiresAt,
      content: file.value,
    };
    this.#files.set(f.id, f);
    return f;
  }

  /** Newest first, like the service; `after` is the last id of the previous page. */
  list(query: URLSearchParams) {
    const limit = Math.min(10_000, Math.max(1, Number(query.get('limit') ?? 10_000) || 10_000));
    const purpose = query.get('purpose');
    let all = [...this.#files.values()].filter((f) => purpose === null || f.purpose === purpose).reverse();
    if (query.get('order') === 'asc') all = all.reverse();
    const after = query.get('after');
    const start = after ? all.findIndex((f) => f.id === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    return {
      object: 'list',
      data: page.map(fileObject),
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
      has_more: start + limit < all.length,
    };
  }

  delete(id: string): unknown {
    if (!this.#files.delete(id)) return notFound(id);
    return { id, object: 'file', deleted: true };
  }

  lookup(id: string): StoredFile | AzureError {
    return this.#files.get(id) ?? notFound(id);
  }
}

/** Parses multipart/form-data into fields (the SDK sends `purpose`, `file` and `expires_after[…]`). */
export function parseMultipart(body: Buffer, contentType: string | undefined): UploadFields | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m) return undefined;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields: UploadFields = new Map();
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) fields.set(name, { value: part.subarray(headerEnd + 4), ...(filename !== undefined ? { filename } : {}) });
    }
    pos = next;
  }
  return fields;
}
