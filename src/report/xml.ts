/** XML text and attribute escaping for junit.xml; drops characters XML 1.0 cannot carry at all. */

// Control characters other than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF are not allowed in XML 1.0.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text content. A CR is written as a character reference: XML parsers turn a literal CR (and
 * CRLF) into LF, so the text read back would differ from the answer the model gave.
 */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value: parsers turn literal tabs and line breaks there into spaces, references survive. */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
