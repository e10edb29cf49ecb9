import { envSegments } from "../../src/emit/env-refs.js";
import { durationSeconds } from "../../src/link/durations.js";
import type { Tool } from "../../src/link/model.js";
import type { EnvDefault } from "./env.js";

/** OpenClaw's limit for a skill's one-line `description` (fewer than 160 characters). */
const MAX_DESCRIPTION = 159;

/** The one-line skill description: the contract's first sentence, or its text cut at a word, under 160 characters. */
export function skillDescription(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= MAX_DESCRIPTION) return line;
  const sentence = /^(.+?[.!?])\s/.exec(line)?.[1];
  if (sentence && sentence.length <= MAX_DESCRIPTION) return sentence;
  return `${line.slice(0, MAX_DESCRIPTION - 1).replace(/\s+\S*$/, "")}…`;
}

/** A string as one single-quoted POSIX shell word (`'` written `'\''`): the shell expands nothing in it. */
const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The curl options (long names, curl 8.3+ `--expand-<option>`) that brainc writes with env references in them. */
type CurlOption = "url" | "header" | "url-query";

/** The short spelling of each {@link CurlOption} without env references (the URL is curl's positional argument). */
const PLAIN: Record<CurlOption, (word: string) => string> = { url: (w) => w, header: (w) => `-H ${w}`, "url-query": (w) => `--url-query ${w}` };

/** How an env variable's value is put into each option: `:url` URL-encodes it (curl's variable function) in a query value. */
const VARIABLE: Record<CurlOption, (name: string) => string> = { url: (n) => `{{${n}}}`, header: (n) => `{{${n}}}`, "url-query": (n) => `{{${n}:url}}` };

/**
 * One curl argument for a brain string, with no shell expansion in it (OpenClaw 2026.9.6's exec allowlist
 * analysis, src/infra/exec-authorization-plan.ts, refuses `$VAR`, line continuations and heredocs). A
 * value without env references is a single-quoted word; a value with `${env:NAME}` references becomes
 * curl's own variable expansion (curl 8.3 or newer): `--expand-<option> '…{{NAME}}…'`, the variable
 * imported from the environment by a `--variable %NAME` (`%NAME=default`) that `vars` collects (name →
 * default; the first default of a name wins). curl reads the secret itself: it never is in the command.
 * `literal` rewrites the literal text (for example URL-encodes it).
 */
function curlArgument(option: CurlOption, value: string, vars: Map<string, string | undefined>, literal = (text: string) => text): string {
  const segments = envSegments(value);
  const text = segments.map((s) => {
    if ("text" in s) return literal(s.text);
    if (!vars.has(s.env)) vars.set(s.env, s.default);
    return VARIABLE[option](s.env);
  });
  return segments.every((s) => "text" in s) ? PLAIN[option](quote(text.join(""))) : `--expand-${option} ${quote(text.join(""))}`;
}

/**
 * Literal query text URL-encoded, `{{name}}` placeholders kept for the model (which URL-encodes the
 * values): the query goes to curl as `--url-query '+name=value'`, which curl appends as is. So no value
 * needs a shell quote escape (`'` is `%27`): OpenClaw 2026.9.6's analysis reads a word joined from
 * quoted parts (`'…'\''…'`) as dynamic when it also holds `{`, `*`, `?` or `[`, and refuses it with a `$`.
 */
const encodeQueryText = (text: string) => text.split(/(\{\{\w+\}\})/).map((part, i) => (i % 2 ? part : strictUriEncode(part))).join("");

/** encodeURIComponent that also encodes `!'()*` (RFC 3986 reserved), so no `'` is left to quote. */
const strictUriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `--variable` options importing each collected variable from the environment (curl 8.3+), with its default. */
function variableOptions(vars: Map<string, string | undefined>): string[] {
  return [...vars].map(([name, fallback]) => `--variable ${quote(fallback === undefined ? `%${name}` : `%${name}=${fallback}`)}`);
}

/** The strings of an http contract that may hold env references: url, header values and query values. */
function envBearing(tool: Tool): string[] {
  const http = tool.implementation.http!;
  return [http.url, ...Object.values(http.headers ?? {}), ...Object.values(http.query ?? {})];
}

/** Every `${env:NAME:-default}` default of an http contract's request, in request order (for the env default check). */
export function skillEnvDefaults(tool: Tool): EnvDefault[] {
  return envBearing(tool).flatMap((v) => envSegments(v).flatMap((s) => ("env" in s && s.default !== undefined ? [{ name: s.env, value: s.default, file: tool.source }] : [])));
}

/**
 * The one-line curl command of an http contract, with `{{name}}` placeholders for the model to fill in:
 * `curl -sS --fail-with-body [--max-time s] [--variable …] -X METHOD <url> [--url-query …] [-H …]
 * [--data-raw '<json>']`. One line, single-quoted words and no shell expansion, so OpenClaw's exec
 * allowlist (OpenClaw 2026.9.6) can analyse it and match `curl`. Also returns the imported variables.
 */
export function curlCommand(tool: Tool): { command: string; variables: string[] } {
  const http = tool.implementation.http!;
  const vars = new Map<string, string | undefined>();
  const url = curlArgument("url", http.url, vars);
  const rest = [
    ...Object.entries(http.query ?? {}).map(([k, v]) => curlArgument("url-query", `+${encodeQueryText(k)}=${v}`, vars, encodeQueryText)),
    ...Object.entries(http.headers ?? {}).map(([k, v]) => curlArgument("header", `${k}: ${v}`, vars)),
  ];
  if (http.body) {
    if (!Object.keys(http.headers ?? {}).some((k) => k.toLowerCase() === "content-type")) rest.push(`-H ${quote("Content-Type: application/json")}`);
    // `'` as the JSON escape \u0027, so the body stays one plain single-quoted word (see encodeQueryText).
    rest.push(`--data-raw ${quote(JSON.stringify(http.body).replace(/'/g, "\\u0027"))}`);
  }
  const timeout = tool.timeout === undefined ? [] : [`--max-time ${durationSeconds(tool.timeout)}`];
  const words = ["curl -sS --fail-with-body", ...timeout, ...variableOptions(vars), `-X ${http.method ?? "GET"}`, url, ...rest];
  return { command: words.join(" "), variables: [...vars.keys()] };
}

type Schema = Record<string, unknown>;

/** A short type label of a JSON Schema: `string`, `integer`, `one of "eu", "us"`, `array of string`. */
function typeLabel(s: Schema): string {
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (s.type === "array" && s.items && typeof s.items === "object") return `array of ${typeLabel(s.items as Schema)}`;
  if (Array.isArray(s.type)) return s.type.join(" or ");
  return typeof s.type === "string" ? s.type : "any JSON value";
}

/** Constraints of a JSON Schema, in words. */
function constraints(s: Schema): string[] {
  const out: string[] = [];
  const word: Record<string, string> = { minimum: "at least", maximum: "at most", minLength: "min length", maxLength: "max length", minItems: "min items", maxItems: "max items" };
  for (const [k, w] of Object.entries(word)) if (s[k] !== undefined) out.push(`${w} ${s[k]}`);
  if (s.pattern !== undefined) out.push(`matches \`${s.pattern}\``);
  if (s.format !== undefined) out.push(`format ${s.format}`);
  if (s.uniqueItems) out.push("unique items");
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

/** Markdown bullets of the top-level properties of an object schema. */
function propertyLines(schema: Schema, showRequired = true): string[] {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => {
    const facts = [typeLabel(s), ...(showRequired ? [required.has(name) ? "required" : "optional"] : []), ...constraints(s)].join(", ");
    return `- \`${name}\` (${facts})${typeof s.description === "string" ? `: ${s.description}` : ""}`;
  });
}

/** Env variables the request needs set (references without a default), sorted. */
function requiredEnv(tool: Tool): string[] {
  const names = new Set<string>();
  for (const v of envBearing(tool)) for (const s of envSegments(v)) if ("env" in s && s.default === undefined) names.add(s.env);
  return [...names].sort();
}

/** The "How to call it" instructions for a command that imports `variables` from the environment. */
function callInstructions(variables: string[]): string[] {
  const lines = [
    "Run this command with the `exec` tool, on one line and exactly as written apart from the placeholders. Replace each `{{name}}` of an argument above with its value: URL-encoded in the URL and in `--url-query` values (`'` is `%27`), JSON-escaped in the `--data-raw` body (write `'` as `\\u0027`), as is in a header (write `'` as `'\\''`). Leave out the `--url-query` options of optional arguments you do not pass.",
    "",
    "Add no `$` variables, pipes, redirections, heredocs or line breaks: OpenClaw runs only plain commands that it can check against the exec allowlist.",
  ];
  if (variables.length) {
    const one = variables.length === 1;
    const names = variables.map((v) => `\`{{${v}}}\``).join(", ");
    lines.push("", `Leave ${names} as ${one ? "it is" : "they are"}: curl fills ${one ? "it" : "them"} in from the environment itself (\`--variable\`, curl 8.3 or newer), so no secret appears in the command. Never print ${one ? "that variable" : "those variables"}.`);
  }
  return lines;
}

/**
 * `skills/<tool id>/SKILL.md` for an http tool contract (OpenClaw 2026.9 skill format: YAML frontmatter
 * with `name`, a one-line `description` and `metadata.openclaw.requires` gating; a Markdown body). The
 * body tells the agent how to make the request with `exec` + `curl` (one line that OpenClaw 2026.9.6's
 * exec allowlist accepts, see {@link curlCommand}) and lists the arguments from the contract's input schema.
 */
export function buildSkill(tool: Tool): string {
  const env = requiredEnv(tool);
  const requires: Record<string, string[]> = { bins: ["curl"] };
  if (env.length) requires.env = env;
  const { command, variables } = curlCommand(tool);
  const output = tool.output && typeof tool.output === "object" && (tool.output as Schema).properties ? propertyLines(tool.output as Schema, false) : [];
  const approval = tool.approval === "always" ? ["", "Ask a human and wait for approval before every call."] : [];
  return [
    "---",
    `name: ${tool.id}`,
    `description: ${JSON.stringify(skillDescription(tool.description))}`,
    `metadata: ${JSON.stringify({ openclaw: { requires } })}`,
    "---",
    "",
    `# ${tool.id}`,
    "",
    `<!-- generated by brainc from ${tool.source}; do not edit -->`,
    "",
    tool.description.trim(),
    ...approval,
    "",
    "## Arguments",
    "",
    ...(propertyLines(tool.input as Schema).length ? propertyLines(tool.input as Schema) : ["None."]),
    "",
    "## How to call it",
    "",
    ...callInstructions(variables),
    "",
    "```sh",
    command,
    "```",
    ...(output.length ? ["", "## Result", "", "The response body is JSON with:", "", ...output] : []),
    "",
  ].join("\n");
}
