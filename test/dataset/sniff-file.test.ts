/**
 * Recognising non-text dataset files from their first bytes: what each looks like, and that real text
 * (UTF-8 with accents, tabs, CRLF, a UTF-8 BOM) is never mistaken for binary.
 */
import { describe, expect, test } from 'vitest';
import { classify } from '../../src/dataset/sniff-file.ts';

describe('classify', () => {
  test.each([
    ['xlsx (zip)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /zip archive/],
    ['xls (OLE)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), /\.xls workbook/],
    ['PDF', Buffer.from('%PDF-1.7\n'), /PDF/],
    ['gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00]), /gzip/],
    [
      'UTF-16LE with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,q\n', 'utf16le')]),
      /UTF-16 text \(with a byte-order mark\)/,
    ],
    ['UTF-16LE without BOM', Buffer.from('id,question,answer\r\n', 'utf16le'), /^UTF-16LE text without a byte-order mark$/],
    ['UTF-16BE without BOM', Buffer.from('id,question,answer\n', 'utf16le').swap16(), /^UTF-16BE text without a byte-order mark$/],
    ['an executable', Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(32, 0), Buffer.from('text')]), /^a binary file$/],
  ])('%s', (_name, bytes, expected) => {
    expect(classify(bytes)).toMatch(expected);
  });

  test.each([
    ['ASCII CSV', Buffer.from('id,question,answer\nq1,What is 2+2?,4\n')],
    ['UTF-8 with accents and a BOM', Buffer.from('\uFEFFid,question\nq1,Où est Zürich? Ça va — ½\n')],
    ['CRLF and tabs', Buffer.from('id\tquestion\r\nq1\tWhat?\r\n')],
    ['JSONL', Buffer.from('{"prompt":"hi","expected":"there"}\n')],
    ['empty', Buffer.alloc(0)],
  ])('%s is text', (_name, bytes) => {
    expect(classify(bytes)).toBeUndefined();
  });
});
