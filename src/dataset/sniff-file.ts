/**
 * Recognises files that are not UTF-8 text before a reader parses them, so a renamed workbook or a
 * binary gets one message saying what the file looks like instead of a screen of per-row problems
 * full of raw bytes. Reads only the first few kilobytes.
 */
import { open } from 'node:fs/promises';

/** Bytes inspected at the start of the file. */
const SNIFF_BYTES = 4096;

/**
 * What the file looks like when it is not UTF-8 (or ASCII) text, as a phrase for a message
 * ("a zip archive (an .xlsx workbook?)"); undefined for text.
 */
export async function describeNonText(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return classify(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** The classification itself, on the first bytes of a file. */
export function classify(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a zip archive (an .xlsx workbook saved under another name?)';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'an old-style Office document (an .xls workbook?)';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip-compressed';
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return 'UTF-16 text (with a byte-order mark)';
  const zerosAt = { even: 0, odd: 0 };
  let control = 0;
  bytes.forEach((byte, index) => {
    if (byte === 0) zerosAt[index % 2 === 0 ? 'even' : 'odd']++;
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  });
  const pairs = Math.floor(bytes.length / 2);
  // ASCII in UTF-16: every other byte is zero (odd positions for little-endian, even for big-endian).
  if (pairs >= 2 && (zerosAt.odd >= pairs * 0.8 || zerosAt.even >= pairs * 0.8) && Math.min(zerosAt.odd, zerosAt.even) <= pairs * 0.1) {
    return `UTF-16${zerosAt.odd > zerosAt.even ? 'LE' : 'BE'} text without a byte-order mark`;
  }
  if (zerosAt.odd + zerosAt.even > 0 || control > bytes.length * 0.1) return 'a binary file';
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}
