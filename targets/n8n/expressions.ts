import { envSegments } from "../../src/emit/env-refs.js";

/**
 * n8n expression syntax (n8n 2.41): a parameter value that starts with "=" is a template whose `{{ … }}`
 * parts are JavaScript expressions; any other value is a literal. These helpers build such values.
 */

/**
 * Where n8n 2.41 sees a `$fromAI(` call: `extractFromAICalls` (n8n-workflow from-ai-parse-utils) scans
 * every string parameter of a tool node, literal text included, with `/\$fromAI\s*\(/gi`, and makes each
 * hit an argument the model must fill. This matches the `$` of such a call, case-insensitively.
 */
const FROM_AI_CALL = /\$(?=fromai\s*\()/gi;

/** Whether a text holds something n8n 2.41 would read as a `$fromAI(` call (see {@link FROM_AI_CALL}). */
export function hasFromAiCall(text: string): boolean {
  return /\$fromai\s*\(/i.test(text);
}

/**
 * A JavaScript string literal that is safe inside `{{ … }}`: JSON-quoted, with braces escaped as \u007b /
 * \u007d so the literal can never close (or open) an n8n template part, and the `$` of a `$fromAI(` in
 * the text as \u0024 so n8n's `$fromAI` scan does not take the text for a call (same value in JavaScript).
 */
export function jsString(text: string): string {
  return JSON.stringify(text)
    .replace(/[{}]/g, (c) => (c === "{" ? "\\u007b" : "\\u007d"))
    .replace(FROM_AI_CALL, "\\u0024");
}

/**
 * The JavaScript expression of one `${env:NAME}` reference: `$env.NAME`, or `($env.NAME || "default")`.
 * `:-` applies the default when the variable is unset or empty (the shell's `${NAME:-default}`); n8n's
 * `$env` values are strings, so `||` does exactly that (`??` would keep an empty value).
 */
export function envJs(ref: { env: string; default?: string }): string {
  const access = /^[A-Za-z_$][\w$]*$/.test(ref.env) ? `$env.${ref.env}` : `$env[${jsString(ref.env)}]`;
  return ref.default === undefined ? access : `(${access} || ${jsString(ref.default)})`;
}

/**
 * A brain string as an n8n parameter value: literal text stays literal; `${env:NAME}` references become
 * `{{ $env.NAME }}` expression parts (n8n's own form; the instance must allow env access,
 * N8N_BLOCK_ENV_ACCESS_IN_NODE=false). A literal that n8n would misread is written as in {@link n8nLiteral}.
 */
export function n8nValue(value: string): string {
  const segments = envSegments(value);
  if (segments.every((s) => "text" in s)) return n8nLiteral(value);
  return "=" + segments.map((s) => ("text" in s ? escapeTemplateText(s.text) : `{{ ${envJs(s)} }}`)).join("");
}

/**
 * A literal parameter value (n8n 2.41): as it is, unless n8n would misread it, then as the expression
 * `={{ "<text>" }}`, which evaluates to the same text. n8n misreads a value that starts with "=" (an
 * expression) and, in a tool node, a value holding `$fromAI(` (an argument the model must fill).
 */
export function n8nLiteral(text: string): string {
  return text.startsWith("=") || hasFromAiCall(text) ? `={{ ${jsString(text)} }}` : text;
}

/**
 * Literal text inside an "=" template (n8n 2.41, @n8n/tournament splitExpression): a `{` would open an
 * expression with the next one, or with the `{{` of an expression part right after it (`{{{ … }}`), a
 * backslash would escape a following `{{` or be halved (`\\` becomes `\` in text before an expression
 * part), and a `$fromAI(` would be read as a tool argument. Each of these becomes an expression part
 * holding the same characters.
 */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{|\\|\$(?=fromai\s*\()/gi, (c) => `{{ ${jsString(c)} }}`);
}
