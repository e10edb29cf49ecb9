import { envSegments } from "../../src/emit/env-refs.js";

/**
 * n8n expression syntax (n8n 2.41): a parameter value that starts with "=" is a template whose `{{ … }}`
 * parts are JavaScript expressions; any other value is a literal. These helpers build such values.
 */

/**
 * A JavaScript string literal that is safe inside `{{ … }}`: JSON-quoted, with braces escaped as \u007b /
 * \u007d so the literal can never close (or open) an n8n template part.
 */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/[{}]/g, (c) => (c === "{" ? "\\u007b" : "\\u007d"));
}

/** The JavaScript expression of one `${env:NAME}` reference: `$env.NAME`, or `($env.NAME ?? "default")`. */
export function envJs(ref: { env: string; default?: string }): string {
  const access = /^[A-Za-z_$][\w$]*$/.test(ref.env) ? `$env.${ref.env}` : `$env[${jsString(ref.env)}]`;
  return ref.default === undefined ? access : `(${access} ?? ${jsString(ref.default)})`;
}

/**
 * A brain string as an n8n parameter value: literal text stays literal; `${env:NAME}` references become
 * `{{ $env.NAME }}` expression parts (n8n's own form; the instance must allow env access,
 * N8N_BLOCK_ENV_ACCESS_IN_NODE=false). A literal that starts with "=" is wrapped so n8n does not read it
 * as an expression.
 */
export function n8nValue(value: string): string {
  const segments = envSegments(value);
  if (segments.every((s) => "text" in s)) return n8nLiteral(value);
  return "=" + segments.map((s) => ("text" in s ? escapeTemplateText(s.text) : `{{ ${envJs(s)} }}`)).join("");
}

/** A literal parameter value: as it is, unless it starts with "=", which n8n would read as an expression. */
export function n8nLiteral(text: string): string {
  return text.startsWith("=") ? `={{ ${jsString(text)} }}` : text;
}

/** Literal text inside an "=" template: a `{{` would open an expression, so it becomes an expression itself. */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{\{/g, '{{ "\\u007b\\u007b" }}');
}
