import { envRefs } from "../../src/emit/env-refs.js";
import { contractPieces, type EnvRef, urlPlaces } from "../../src/emit/placeholders.js";
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

/**
 * What the model's value for a placeholder may hold, by where the placeholder is: the holes of a skill's
 * exec allowlist `argPattern` (ECMAScript regular expressions, each matching within one argv word).
 */
const HOLE = {
  /** The URL starts with the placeholder, which picks the whole URL: an http(s) URL (no file://, dict://, …, that curl also speaks). */
  start: String.raw`https?://[^\x00]*`,
  /** In the URL's authority: no path, query, fragment or user info, so it picks the host and port only. */
  authority: String.raw`[^\x00/?#@\\]*`,
  /** `--url-query` values: percent-encoded text (encodeURIComponent's characters, `%XX`), so no `&` or `#` is added. */
  encoded: String.raw`[A-Za-z0-9._~!*()%+-]*`,
  /**
   * The rest of the URL (path, its own query): percent-encoded text, so no `/`, `?` or `#` is added, and
   * not a dot segment (`..`, `%2e%2e`, `.`), which curl would resolve to a parent path.
   */
  segment: String.raw`(?!(?:\.|%2[eE]){1,2}(?:[/?#]|\x00))[A-Za-z0-9._~!*()%+-]*`,
  /** A header value: one line. */
  header: String.raw`[^\x00\r\n]*`,
  /** Inside a JSON string of the `--data-raw` body: string characters and escapes, so the body keeps its structure. */
  json: String.raw`(?:[^"\\\x00-\x1f]|\\[^\x00])*`,
  /** A JSON number in the body (a placeholder out of quotes: see {@link bodyWord}). */
  number: String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`,
  integer: String.raw`-?(?:0|[1-9][0-9]*)`,
  boolean: "true|false",
  null: "null",
} as const;
type Hole = keyof typeof HOLE;

/** A piece of an argv word of a curl command: literal text, or a `{{name}}` placeholder that the model fills in. */
type WordPiece = { text: string } | { arg: string; hole: Hole[] };
/**
 * One argv word; `quoted`: written as a single-quoted shell word (else as it is: an option name or a
 * number); `expanded`: curl expands `{{NAME}}` variables in it (`--expand-<option>`).
 */
type Word = { pieces: WordPiece[]; quoted: boolean; expanded?: boolean };
/** Words that go together (an option and its value); `optional`: left out when the model does not pass the optional argument they hold. */
type Part = { words: Word[]; optional?: boolean };

const bare = (...words: string[]): Part => ({ words: words.map((w) => ({ pieces: [{ text: w }], quoted: false })) });
const quoted = (...pieces: WordPiece[]): Word => ({ pieces, quoted: true });

/** The curl options (long names, curl 8.3+ `--expand-<option>`) that brainc writes with env references in them. */
type CurlOption = "url" | "header" | "url-query" | "data-raw";

/** The option name of each {@link CurlOption} without env references (the URL is curl's positional argument). */
const FLAG: Record<CurlOption, string | undefined> = { url: undefined, header: "-H", "url-query": "--url-query", "data-raw": "--data-raw" };

/**
 * How an env variable's value is put into each option, with curl's variable functions: `:url` URL-encodes
 * it in a query value, `:json` JSON-escapes it in a string of the JSON body.
 */
const VARIABLE: Record<CurlOption, (name: string) => string> = { url: (n) => `{{${n}}}`, header: (n) => `{{${n}}}`, "url-query": (n) => `{{${n}:url}}`, "data-raw": (n) => `{{${n}:json}}` };

/** An env reference's variable in an option, imported from the environment by a `--variable` that `vars` collects (name → default; the first default of a name wins). */
function variable(option: CurlOption, ref: EnvRef, vars: Map<string, string | undefined>): WordPiece {
  if (!vars.has(ref.env)) vars.set(ref.env, ref.default);
  return { text: VARIABLE[option](ref.env) };
}

/** Literal text of a word that curl expands: a `{{` of its own (not one of the command's variables) is written `\{{`, as curl reads it literally. */
const expandable = (text: string) => text.replaceAll("{{", "\\{{");

/** A curl option with its value `word`: `--expand-<option>` when curl expands variables in the value, else the plain option. */
function optionPart(option: CurlOption, word: Word): Part {
  const flag = word.expanded ? `--expand-${option}` : FLAG[option];
  return { words: flag ? [...bare(flag).words, word] : [word] };
}

/**
 * One curl option for a contract string (`prefix` and `value`), with no shell expansion in it (OpenClaw
 * 2026.9.6's exec allowlist analysis, src/infra/exec-authorization-plan.ts, refuses `$VAR`, line
 * continuations and heredocs). A value without env references is a single-quoted word; a value with
 * `${env:NAME}` references becomes curl's own variable expansion (curl 8.3 or newer): `--expand-<option>
 * '…{{NAME}}…'`, the variable imported from the environment by a `--variable %NAME` (`%NAME=default`)
 * that `vars` collects (name → default; the first default of a name wins). curl reads the secret itself:
 * it never is in the command. `literal` rewrites the value's literal text (for example URL-encodes it);
 * placeholders become holes ({@link HOLE}) by where they are.
 */
function curlOption(tool: Tool, option: Exclude<CurlOption, "data-raw">, value: string, vars: Map<string, string | undefined>, { prefix = "", literal = (text: string) => text } = {}): Part {
  const pieces = contractPieces(tool, value);
  const places = option === "url" ? urlPlaces(pieces) : [];
  const hole = (i: number): Hole => (option === "header" ? "header" : option === "url-query" ? "encoded" : places[i] === "start" ? "start" : places[i] === "authority" ? "authority" : "segment");
  const expanded = pieces.some((p) => "env" in p);
  const text = (t: string) => (expanded ? expandable(t) : t);
  const word = quoted(
    ...(prefix ? [{ text: text(prefix) }] : []),
    ...pieces.map((p, i): WordPiece => ("text" in p ? { text: text(literal(p.text)) } : "arg" in p ? { arg: p.arg, hole: [hole(i)] } : variable(option, p.env, vars))),
  );
  return optionPart(option, { ...word, expanded });
}

/** encodeURIComponent that also encodes `!'()*` (RFC 3986 reserved), so no `'` is left to quote. */
const strictUriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A `--url-query '+name=value'` option, which curl appends to the URL as it is: literal text is
 * URL-encoded, `{{name}}` placeholders are kept for the model (which URL-encodes the values). So no value
 * needs a shell quote escape (`'` is `%27`): OpenClaw 2026.9.6's analysis reads a word joined from quoted
 * parts (`'…'\''…'`) as dynamic when it also holds `{`, `*`, `?` or `[`, and refuses it with a `$`. The
 * option is optional when the value's placeholders are optional arguments (the model leaves it out).
 */
function queryOption(tool: Tool, name: string, value: string, vars: Map<string, string | undefined>): Part {
  const part = curlOption(tool, "url-query", value, vars, { prefix: `+${strictUriEncode(name)}=`, literal: strictUriEncode });
  const args = part.words[1].pieces.flatMap((p) => ("arg" in p ? [p.arg] : []));
  const required = new Set((tool.input.required as string[] | undefined) ?? []);
  return { ...part, optional: args.length > 0 && !args.some((a) => required.has(a)) };
}

/** `--variable` options importing each collected variable from the environment (curl 8.3+), with its default. */
function variableOptions(vars: Map<string, string | undefined>): Part[] {
  return [...vars].map(([name, fallback]) => ({ words: [...bare("--variable").words, quoted({ text: fallback === undefined ? `%${name}` : `%${name}=${fallback}` })] }));
}

/** The env references of an http contract's request (url, query and header values, strings of the body), in request order. */
function requestEnvRefs(tool: Tool): EnvRef[] {
  const http = tool.implementation.http!;
  return envRefs([http.url, http.query, http.headers, http.body]);
}

/** Every `${env:NAME:-default}` default of an http contract's request, in request order (for the env default check). */
export function skillEnvDefaults(tool: Tool): EnvDefault[] {
  return requestEnvRefs(tool).flatMap((r) => (r.default !== undefined ? [{ name: r.env, value: r.default, file: tool.source }] : []));
}

/** The JSON types of an input property when it is a number, integer or boolean (or one of those or null), else undefined. */
function scalarTypes(tool: Tool, name: string): Hole[] | undefined {
  const type = ((tool.input.properties ?? {}) as Record<string, { type?: string | string[] }>)[name]?.type;
  const types = type === undefined ? [] : [type].flat();
  const scalar = types.filter((t): t is "number" | "integer" | "boolean" | "null" => ["number", "integer", "boolean", "null"].includes(t));
  return scalar.length === types.length && scalar.some((t) => t !== "null") ? scalar : undefined;
}

/**
 * The `--data-raw` option of a JSON body (tool.schema.json: a string that is exactly one placeholder takes
 * the argument's JSON value). Placeholders of string (and array, object, untyped) arguments stay in their
 * JSON strings, for the model to fill in JSON-escaped; one that is a whole string and whose argument is a
 * number, integer or boolean is written out of quotes (`"limit":{{limit}}`), for the model to write the
 * JSON value (or `null` for an optional argument). `'` is the JSON escape \u0027, so the body stays one
 * plain single-quoted word (see queryOption). A `${env:NAME}` reference in a string becomes curl's
 * JSON-escaped variable, `{{NAME:json}}`, in `--expand-data-raw` (see {@link curlOption}).
 */
function bodyOption(tool: Tool, body: object, vars: Map<string, string | undefined>): Part {
  const SCALAR = "\u0001";
  const ENV = "\u0002";
  // In a body that curl expands, literal `\` and `{` are written as the JSON escapes \u005c and \u007b
  // (marked with private-use characters until the JSON is written): curl would read `{` before a variable
  // (`{{{NAME}}`) or `\` before one (`\{{NAME}}`, its escape) differently, and a literal `{{` as a variable.
  // Keys are literal text (placeholders are in values, as the other targets read the contract), so their
  // `{` is always written \u007b: a `{{name}}` in a key is no placeholder for the model to fill in.
  const BACKSLASH = "\ue000";
  const BRACE = "\ue001";
  const expanded = envRefs(body).length > 0;
  const braces = (t: string) => t.replace(/\{/g, BRACE);
  const literalText = (t: string) => (expanded ? braces(t.replace(/\\/g, BACKSLASH)) : t);
  const required = new Set((tool.input.required as string[] | undefined) ?? []);
  const refs: EnvRef[] = [];
  const mark = (v: unknown): unknown => {
    if (typeof v === "string") {
      const pieces = contractPieces(tool, v);
      if (pieces.length === 1 && "arg" in pieces[0] && scalarTypes(tool, pieces[0].arg)) return `${SCALAR}${pieces[0].arg}${SCALAR}`;
      return pieces.map((p) => ("env" in p ? `${ENV}${refs.push(p.env) - 1}${ENV}` : "text" in p ? literalText(p.text) : `{{${p.arg}}}`)).join("");
    }
    if (Array.isArray(v)) return v.map(mark);
    return v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [braces(literalText(k)), mark(x)])) : v;
  };
  // JSON.stringify writes the marks as the escapes \u0001 and \u0002: quoted scalar marks become unquoted
  // placeholders, env marks (the index of their reference) curl's variables.
  const json = JSON.stringify(mark(body)).replace(/'/g, "\\u0027").replaceAll(BACKSLASH, "\\u005c").replaceAll(BRACE, "\\u007b");
  const literal = (part: string) => contractPieces(tool, part, { env: false }).map((p): WordPiece => ("text" in p ? { text: p.text } : { arg: (p as { arg: string }).arg, hole: ["json"] }));
  const pieces: WordPiece[] = [];
  let last = 0;
  for (const m of json.matchAll(/"\\u0001([^\\"]+)\\u0001"|\\u0002(\d+)\\u0002/g)) {
    pieces.push(...literal(json.slice(last, m.index)));
    const arg = m[1];
    pieces.push(arg ? { arg, hole: [...new Set([...scalarTypes(tool, arg)!, ...(required.has(arg) ? [] : (["null"] as const))])] } : variable("data-raw", refs[Number(m[2])], vars));
    last = m.index + m[0].length;
  }
  pieces.push(...literal(json.slice(last)));
  return optionPart("data-raw", { ...quoted(...pieces), expanded });
}

/**
 * The parts of the curl command of an http contract (see {@link curlCommand}) and the variables it
 * imports from the environment.
 */
function curlParts(tool: Tool): { parts: Part[]; variables: string[] } {
  const http = tool.implementation.http!;
  const vars = new Map<string, string | undefined>();
  const url = curlOption(tool, "url", http.url, vars);
  const rest = [
    ...Object.entries(http.query ?? {}).map(([k, v]) => queryOption(tool, k, v, vars)),
    ...Object.entries(http.headers ?? {}).map(([k, v]) => curlOption(tool, "header", `${k}: ${v}`, vars)),
  ];
  if (http.body) {
    if (!Object.keys(http.headers ?? {}).some((k) => k.toLowerCase() === "content-type")) rest.push({ words: [...bare("-H").words, quoted({ text: "Content-Type: application/json" })] });
    rest.push(bodyOption(tool, http.body, vars));
  }
  const timeout = tool.timeout === undefined ? [] : [bare("--max-time", String(durationSeconds(tool.timeout)))];
  const parts = [bare("-sS", "--fail-with-body"), ...timeout, ...variableOptions(vars), bare("-X", http.method ?? "GET"), url, ...rest];
  return { parts, variables: [...vars.keys()] };
}

/**
 * The one-line curl command of an http contract, with `{{name}}` placeholders for the model to fill in:
 * `curl -sS --fail-with-body [--max-time s] [--variable …] -X METHOD <url> [--url-query …] [-H …]
 * [--data-raw '<json>']`. One line, single-quoted words and no shell expansion, so OpenClaw's exec
 * allowlist (OpenClaw 2026.9.6) can analyse it and match `curl`. Also returns the imported variables, and
 * whether a placeholder is in an option that curl expands (`--expand-<option>`: its value may not hold `{`),
 * whether the body has placeholders out of quotes (JSON values, see {@link bodyOption}) and whether curl
 * expands the body (`--expand-data-raw`).
 */
export function curlCommand(tool: Tool): { command: string; variables: string[]; expandedArguments: boolean; jsonValues: boolean; expandedBody: boolean } {
  const { parts, variables } = curlParts(tool);
  const text = (w: Word) => w.pieces.map((p) => ("text" in p ? p.text : `{{${p.arg}}}`)).join("");
  const words = parts.flatMap((p) => p.words.map((w) => (w.quoted ? quote(text(w)) : text(w))));
  const expandedArguments = parts.some((p) => p.words.some((w) => w.expanded && w.pieces.some((x) => "arg" in x)));
  const jsonValues = parts.some((p) => p.words.some((w) => w.pieces.some((x) => "arg" in x && x.hole.some((h) => h === "number" || h === "integer" || h === "boolean"))));
  const expandedBody = words.includes("--expand-data-raw");
  return { command: ["curl", ...words].join(" "), variables, expandedArguments, jsonValues, expandedBody };
}

/**
 * The pattern of a hole; in a word that curl expands, without `{`, so that a value cannot name one of the
 * command's `{{NAME}}` variables (secrets) and have curl put it there.
 */
function holePattern(holes: Hole[], expanded = false): string {
  const one = (hole: Hole) => (expanded ? HOLE[hole].replaceAll("[^", "[^{") : HOLE[hole]);
  return holes.length === 1 && holes[0] !== "boolean" ? one(holes[0]) : `(?:${holes.map(one).join("|")})`;
}

/** A string as ECMAScript regular expression source that matches it literally. */
const literalPattern = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/**
 * The exec allowlist `argPattern` (OpenClaw 2026.9.6, docs/tools/exec-approvals.md "Restricting arguments
 * with argPattern") that lets curl run this contract's command and nothing else: OpenClaw matches it
 * against the command's arguments after `curl`, each followed by a NUL (the separator it uses for a
 * pattern that holds one). Every word is the command's as written, every placeholder a hole of what its
 * value may hold there ({@link HOLE}), and the `--url-query` options of optional arguments may be left out.
 */
export function curlArgPattern(tool: Tool): string {
  const word = (w: Word) => `${w.pieces.map((p) => ("text" in p ? literalPattern(p.text) : holePattern(p.hole, w.expanded))).join("")}\u0000`;
  const part = (p: Part) => (p.optional ? `(?:${p.words.map(word).join("")})?` : p.words.map(word).join(""));
  return `^${curlParts(tool).parts.map(part).join("")}$`;
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
  for (const r of requestEnvRefs(tool)) if (r.default === undefined) names.add(r.env);
  return [...names].sort();
}

/** The "How to call it" instructions for a skill's curl command (see {@link curlCommand}). */
function callInstructions({ command, variables, expandedArguments, jsonValues, expandedBody }: ReturnType<typeof curlCommand>): string[] {
  const flag = expandedBody ? "--expand-data-raw" : "--data-raw";
  const body = `JSON-escaped in the \`${flag}\` body (write \`'\` as \`\\u0027\`${expandedBody ? " and `{` as `\\u007b`" : ""})`;
  const lines = [
    `Run this command with the \`exec\` tool, on one line and exactly as written apart from the placeholders. Replace each \`{{name}}\` of an argument above with its value: URL-encoded in the URL and in \`--url-query\` values (\`'\` is \`%27\`), ${body}, as is in a header but without \`'\` (OpenClaw refuses a quote there). Leave out the \`--url-query\` options of optional arguments you do not pass.`,
    "",
    "Add no `$` variables, pipes, redirections, heredocs or line breaks: OpenClaw runs only plain commands that it can check against the exec allowlist.",
  ];
  if (jsonValues) lines.push("", `A placeholder of the \`${flag}\` body that is not in quotes takes a JSON value: a number, \`true\` or \`false\` as its argument's type says (\`null\` for an optional argument you do not pass).`);
  if (expandedArguments) lines.push("", "Values in the `--expand-…` options may not hold `{`: curl reads `{{…}}` there as its own variables.");
  if (variables.length) {
    // Each variable as the command writes it (`{{NAME}}`, `{{NAME:url}}`, `{{NAME:json}}`), in order.
    const written = [...new Set(command.match(/\{\{[A-Za-z_][A-Za-z0-9_]*(?::[a-z]+)?\}\}/g) ?? [])].filter((t) => variables.includes(/\{\{(\w+)/.exec(t)![1]));
    const one = written.length === 1;
    const names = written.map((t) => `\`${t}\``).join(", ");
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
  const curl = curlCommand(tool);
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
    ...callInstructions(curl),
    "",
    "```sh",
    curl.command,
    "```",
    ...(output.length ? ["", "## Result", "", "The response body is JSON with:", "", ...output] : []),
    "",
  ].join("\n");
}
