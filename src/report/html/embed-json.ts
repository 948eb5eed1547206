const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON for a `<script type="application/json">` block. `<`, `>` and `&` become \u escapes so no
 * string in the data (a model's `</script><script>…`) can close the block or open a comment, and
 * U+2028/U+2029 are escaped for the benefit of older JavaScript parsers. JSON.parse restores them all.
 */
export function embedJson(value: unknown): string {
  // One pass, one copy: the row sample makes this string megabytes long, and five chained replaces made
  // five copies of it, the largest transient allocation of a run's last step.
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c] as string);
}

/**
 * Makes third-party script text safe to inline in a `<script>` element: the HTML parser ends the
 * element at the first `</script` whatever the JavaScript context, so split any such sequence.
 */
export function inlineScriptText(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
