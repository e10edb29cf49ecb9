import { envSegments } from "../../src/emit/env-refs.js";
import { durationSeconds } from "../../src/link/durations.js";
import type { Tool } from "../../src/link/model.js";

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

/** A brain string as a shell word: literal text single-quoted, `${env:NAME}` as `"$NAME"` (`"${NAME:-default}"`). */
function shellWord(value: string): string {
  return envSegments(value)
    .map((s) => ("text" in s ? (s.text ? `'${s.text.replace(/'/g, `'\\''`)}'` : "") : s.default !== undefined ? `"\${${s.env}:-${s.default.replace(/["\\$`]/g, "\\$&")}}"` : `"$${s.env}"`))
    .join("") || "''";
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

/** Env variables a value needs set (references without a default), sorted. */
function requiredEnv(values: string[]): string[] {
  const names = new Set<string>();
  for (const v of values) for (const s of envSegments(v)) if ("env" in s && s.default === undefined) names.add(s.env);
  return [...names].sort();
}

/**
 * `skills/<tool id>/SKILL.md` for an http tool contract (OpenClaw 2026.9 skill format: YAML frontmatter
 * with `name`, a one-line `description` and `metadata.openclaw.requires` gating; a Markdown body). The
 * body tells the agent how to make the request with `exec` + `curl`, with env references left for the
 * shell to expand, and lists the arguments from the contract's input schema.
 */
export function buildSkill(tool: Tool): string {
  const http = tool.implementation.http!;
  const method = http.method ?? "GET";
  const headers = Object.entries(http.headers ?? {});
  const query = Object.entries(http.query ?? {});
  const env = requiredEnv([http.url, ...headers.map(([, v]) => v), ...query.map(([, v]) => v)]);
  const requires: Record<string, string[]> = { bins: ["curl"] };
  if (env.length) requires.env = env;
  const timeout = tool.timeout === undefined ? [] : [`--max-time ${durationSeconds(tool.timeout)}`];
  const lines = [`curl -sS --fail-with-body ${timeout.join(" ")}`.trim() + ` -X ${method} ${shellWord(http.url)}`];
  for (const [k, v] of query) lines.push(`--url-query ${shellWord(`${k}=${v}`)}`);
  for (const [k, v] of headers) lines.push(`-H ${shellWord(`${k}: ${v}`)}`);
  let body = "";
  if (http.body) {
    if (!headers.some(([k]) => k.toLowerCase() === "content-type")) lines.push(`-H 'Content-Type: application/json'`);
    lines.push("--data-binary @- <<'JSON'");
    body = `${JSON.stringify(http.body, null, 2)}\nJSON\n`;
  }
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
    "Run this command with the `exec` tool. Replace each `{{name}}` with the argument's value: URL-encoded in the URL, as is in `--url-query` values (curl encodes them), JSON-escaped in the body; inside single quotes write `'` as `'\\''`. Leave out the `--url-query` lines of optional arguments you do not pass. The shell expands the environment variables: never print them.",
    "",
    "```sh",
    lines.join(" \\\n  "),
    ...(body ? [body.trimEnd()] : []),
    "```",
    ...(output.length ? ["", "## Result", "", "The response body is JSON with:", "", ...output] : []),
    "",
  ].join("\n");
}
