/**
 * Where a JSON text first goes wrong. V8 reports a position for some syntax errors ("… at position 7
 * (line 1 column 8)") but not for others ("Unexpected token '}', … is not valid JSON"); this small
 * recursive-descent checker finds it for all of them. Only runs on the error path.
 */

/** 1-based column of the first JSON syntax error in `text`, or undefined when the text is valid. */
export function jsonErrorColumn(text: string): number | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value(0);
    scanner.whitespace();
    if (scanner.index < text.length) throw new SyntaxAt(scanner.index);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.index + 1;
    throw error;
  }
}

// --- internal ---

const MAX_DEPTH = 512;

class SyntaxAt extends Error {
  readonly index: number;
  constructor(index: number) {
    super(`JSON syntax error at ${index}`);
    this.index = index;
  }
}

class Scanner {
  readonly #text: string;
  index = 0;

  constructor(text: string) {
    this.#text = text;
  }

  whitespace(): void {
    while (/[ \t\n\r]/.test(this.#text[this.index] ?? '')) this.index++;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) throw new SyntaxAt(this.index);
    this.whitespace();
    const char = this.#text[this.index];
    if (char === '{') return this.#object(depth);
    if (char === '[') return this.#array(depth);
    if (char === '"') return this.#string();
    if (char === '-' || /[0-9]/.test(char ?? '')) return this.#number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.#text.startsWith(literal, this.index)) {
        this.index += literal.length;
        return;
      }
    }
    throw new SyntaxAt(this.index);
  }

  #object(depth: number): void {
    this.index++;
    this.whitespace();
    if (this.#text[this.index] === '}') return void this.index++;
    for (;;) {
      this.whitespace();
      if (this.#text[this.index] !== '"') throw new SyntaxAt(this.index);
      this.#string();
      this.#expect(':');
      this.value(depth + 1);
      this.whitespace();
      if (this.#text[this.index] === '}') return void this.index++;
      this.#expect(',');
    }
  }

  #array(depth: number): void {
    this.index++;
    this.whitespace();
    if (this.#text[this.index] === ']') return void this.index++;
    for (;;) {
      this.value(depth + 1);
      this.whitespace();
      if (this.#text[this.index] === ']') return void this.index++;
      this.#expect(',');
    }
  }

  #string(): void {
    const match = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
    match.lastIndex = this.index;
    if (!match.test(this.#text)) throw new SyntaxAt(this.#stringErrorIndex());
    this.index = match.lastIndex;
  }

  /** The first character that breaks a string: a control character, a bad escape, or the end of the text. */
  #stringErrorIndex(): number {
    for (let index = this.index + 1; index < this.#text.length; index++) {
      const char = this.#text[index] ?? '';
      if (char === '"') return index;
      if (char < ' ') return index;
      if (char === '\\') {
        if (!/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(this.#text.slice(index + 1, index + 6))) return index;
        index += this.#text[index + 1] === 'u' ? 5 : 1;
      }
    }
    return this.#text.length;
  }

  #number(): void {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
    match.lastIndex = this.index;
    if (!match.test(this.#text)) throw new SyntaxAt(this.index);
    this.index = match.lastIndex;
  }

  #expect(char: string): void {
    this.whitespace();
    if (this.#text[this.index] !== char) throw new SyntaxAt(this.index);
    this.index++;
  }
}
