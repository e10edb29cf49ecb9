/**
 * Handlebars' parser (a jison grammar, handlebars 4.7) reports syntax errors as token lists ("Expecting
 * 'CLOSE', 'ID', …, got 'INVALID'"). This turns them into what a prompt author can act on.
 */

/** What each token of Handlebars' grammar looks like in a template. */
const TOKENS: Record<string, string> = {
  EOF: "the end of the template",
  INVALID: "a character that does not belong there",
  CONTENT: "text",
  COMMENT: "a comment",
  OPEN: "`{{`",
  CLOSE: "`}}`",
  OPEN_UNESCAPED: "`{{{`",
  CLOSE_UNESCAPED: "`}}}`",
  OPEN_RAW_BLOCK: "`{{{{`",
  CLOSE_RAW_BLOCK: "`}}}}`",
  OPEN_BLOCK: "`{{#…}}`",
  OPEN_ENDBLOCK: "a closing `{{/…}}`",
  OPEN_INVERSE: "`{{^…}}`",
  OPEN_INVERSE_CHAIN: "`{{else …}}`",
  INVERSE: "`{{else}}`",
  OPEN_PARTIAL: "`{{>`",
  OPEN_PARTIAL_BLOCK: "`{{#>`",
  OPEN_SEXPR: "`(`",
  CLOSE_SEXPR: "`)`",
  OPEN_BLOCK_PARAMS: "`as |…|`",
  CLOSE_BLOCK_PARAMS: "`|`",
  ID: "a name",
  SEP: "`.`",
  EQUALS: "`=`",
  STRING: "a string",
  NUMBER: "a number",
  BOOLEAN: "true or false",
  UNDEFINED: "undefined",
  NULL: "null",
  DATA: "an `@` variable",
};
const VALUES = ["ID", "STRING", "NUMBER", "BOOLEAN", "UNDEFINED", "NULL", "DATA", "OPEN_SEXPR"];

/**
 * A readable description of a Handlebars parse error message (the text after "template syntax error: "),
 * or undefined for messages it does not know (they are shown as Handlebars wrote them).
 */
export function describeSyntaxError(message: string): string | undefined {
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  if (mismatch) return `\`{{/${mismatch[2]}}}\` does not close \`{{#${mismatch[1]}}}\`: a block ends with its own name`;
  if (/^Lexical error/.test(message)) return "unrecognized text: an unfinished comment (`{{!--` without `--}}`) or mustache?";
  const m = /Expecting (.*), got '(\w+)'/.exec(message);
  if (!m) return undefined;
  const expected = new Set([...m[1].matchAll(/'(\w+)'/g)].map((t) => t[1]));
  const got = m[2];
  if (got === "EOF" && expected.has("OPEN_ENDBLOCK")) return "a block is not closed: the template ends before its `{{/…}}`";
  if (got === "OPEN_ENDBLOCK") return "`{{/…}}` closes a block that was never opened";
  if (got === "INVERSE" || got === "OPEN_INVERSE_CHAIN") return "`{{else}}` outside an `{{#if}}`, `{{#unless}}`, `{{#each}}` or `{{#with}}` block";
  if (got === "INVALID" && (expected.has("CLOSE") || expected.has("CLOSE_UNESCAPED"))) return `the mustache is not closed: expected ${TOKENS[expected.has("CLOSE") ? "CLOSE" : "CLOSE_UNESCAPED"]}`;
  if (got === "INVALID" && VALUES.some((t) => expected.has(t))) return "expected a name, a path or a value after `{{`";
  if (got === "CLOSE" && expected.has("CLOSE_UNESCAPED")) return "`{{{` is closed by `}}`: close it with `}}}`";
  if ((got === "CLOSE" || got === "CLOSE_UNESCAPED") && VALUES.some((t) => expected.has(t)) && !expected.has(got)) return `a name or value is missing before ${TOKENS[got]}`;
  const wanted = [...new Set([...expected].map((t) => (VALUES.includes(t) ? "a name or value" : (TOKENS[t] ?? t))))];
  return `found ${TOKENS[got] ?? got}, expected ${wanted.slice(0, 4).join(" or ")}${wanted.length > 4 ? " or …" : ""}`;
}
