/**
 * JSON for a `<script type="application/json">` block. `<`, `>` and `&` become \u escapes so no
 * string in the data (a model's `</script><script>…`) can close the block or open a comment, and
 * U+2028/U+2029 are escaped for the benefit of older JavaScript parsers. JSON.parse restores them all.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Makes third-party script text safe to inline in a `<script>` element: the HTML parser ends the
 * element at the first `</script` whatever the JavaScript context, so split any such sequence.
 */
export function inlineScriptText(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
