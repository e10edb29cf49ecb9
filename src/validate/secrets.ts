import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { SourceFile, SourceSet } from "../load/load.js";
import { escapePointer, rangeAt } from "../load/yaml.js";

/** `${env:NAME}` or `${env:NAME:-default}` (brain-format.md "Secrets are never literal"). */
export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SINGLE_ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;
const ANY_REF = /\$\{([^}]*)\}/g;

/** Keys whose values are credentials and must be exactly one env reference. */
const CREDENTIAL_KEYS = new Set(["apiKey", "token", "password", "masterKey", "databaseUrl", "errorAlertUrl", "secret", "clientSecret"]);
/** Header names (case-insensitive) whose values are credentials. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|cookie)$/i;
/**
 * Words that make a header or query parameter name a credential's (`X-Api-Token`, `X-RapidAPI-Key`,
 * `access_token`, `appid`), by word of the name (split at `-`, `_`, `.` and lower-to-upper case changes).
 * Such a value may be built from env references and input placeholders, but not be a literal.
 */
const CREDENTIAL_WORDS = new Set(["key", "apikey", "token", "secret", "password", "passwd", "signature", "credential", "credentials", "appid"]);
const namesCredential = (name: string) => name.split(/[-_.\s]+|(?<=[a-z])(?=[A-Z])/).some((word) => CREDENTIAL_WORDS.has(word.toLowerCase()));
/** A value built from nothing but literal text: no env reference, no `{{input}}` placeholder. */
const isLiteral = (value: string) => value.trim() !== "" && !value.includes("${env:") && !value.includes("{{");
/** `name=value` pairs of a URL's query string. */
const URL_QUERY = /[?&]([^=&#\s]+)=([^&#\s]*)/g;

/** Shapes of well-known credentials; the name goes into the message. */
const SECRET_SHAPES: [string, RegExp][] = [
  ["an Anthropic API key", /\bsk-ant-[A-Za-z0-9_-]{20,}/],
  ["an OpenAI API key", /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/],
  ["a GitHub token", /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/],
  ["an AWS access key id", /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a Slack token", /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ["a Slack webhook URL", /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/],
  ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  // user:password@ in a URL (postgres://app:hunter2@db/…); not a template or env reference in its place.
  ["a URL with a password", /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@{}$]+:[^\s/@{}$]+@/i],
];

/** No shape above matches fewer characters (a URL with a password, `a://u:p@`, is 8). */
const SHORTEST_SECRET = 8;
/**
 * What every shape above and every high-entropy token contains: a run of 13+ key characters (the
 * shortest is a JSON Web Token's `eyJ` + 10), a 32+ run of the base64 alphabet, a URL's `user:password@`,
 * or a literal. Most prose has none, so it is ruled out in one pass instead of eleven.
 */
const MAY_HOLD_SECRET = /[A-Za-z0-9_-]{13}|[A-Za-z0-9+/_=-]{32}|-----BEGIN|hooks\.slack\.com|:\/\/[^\s:/@{}$]+:[^\s/@{}$]+@/;

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * What kind of credential `text` looks like, or undefined. Besides the known shapes, any token of 32+
 * characters from the base64/url alphabets that mixes upper case, lower case and digits with an
 * entropy above 4.3 bits per character counts (hex digests and UUIDs do not). An env reference's
 * name is not scanned, its `:-default` is: a default ends up in the generated output like any literal.
 */
export function looksLikeSecret(text: string): string | undefined {
  if (text.length < SHORTEST_SECRET) return undefined;
  const plain = text.includes("${") ? text.replace(ENV_REF, (_ref, _name, fallback = "") => ` ${fallback} `) : text;
  if (!MAY_HOLD_SECRET.test(plain)) return undefined;
  for (const [name, re] of SECRET_SHAPES) if (re.test(plain)) return name;
  for (const token of plain.match(/[A-Za-z0-9+/_=-]{32,}/g) ?? []) {
    if (/[A-Z]/.test(token) && /[a-z]/.test(token) && /[0-9]/.test(token) && entropy(token) > 4.3) return "a high-entropy token";
  }
  return undefined;
}

/**
 * Checks the secrets rules over every YAML file and prompt: credential fields are exactly one env
 * reference (BRN301), no string looks like a credential (BRN302), every `${…}` is a well-formed env
 * reference (BRN303).
 */
export function checkSecrets(sources: SourceSet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of sources.files) {
    if (file.yaml) walk(file, file.yaml.value, [], undefined, out);
    if (file.body) scanBody(file, out);
  }
  return out;
}

/** Walks a YAML value; `path` holds the keys and indexes down to it (a JSON pointer is built only to report). */
function walk(file: SourceFile, value: unknown, path: string[], parentKey: string | undefined, out: Diagnostic[]): void {
  if (typeof value === "string") {
    checkString(file, value, path, parentKey, out);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      walk(file, value[i], path, undefined, out);
      path.pop();
    }
  } else if (typeof value === "object" && value !== null) {
    const parent = path[path.length - 1];
    const named = parent === "headers" ? "header" : parent === "query" ? "query parameter" : undefined;
    for (const k in value) {
      // A header or query parameter is labelled by what it is when its name is a credential's.
      const key = !named ? k : parent === "headers" && CREDENTIAL_HEADERS.test(k) ? "header:" + k : namesCredential(k) ? `named:${named} ${JSON.stringify(k)}` : undefined;
      path.push(k);
      walk(file, (value as Record<string, unknown>)[k], path, key, out);
      path.pop();
    }
  }
}

const toPointer = (path: readonly string[]) => path.map((k) => "/" + escapePointer(k)).join("");

function checkString(file: SourceFile, value: string, path: readonly string[], key: string | undefined, out: Diagnostic[]): void {
  const isCredential = key !== undefined && (CREDENTIAL_KEYS.has(key) || key.startsWith("header:"));
  if (!isCredential && value.length < SHORTEST_SECRET && !value.includes("${")) return;
  const where = () => ({ file: file.path, range: rangeAt(file.yaml!, toPointer(path)) });
  let malformed = false;
  for (const m of value.matchAll(ANY_REF)) {
    if (!SINGLE_ENV_REF.test(m[0])) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(m[1]) ? m[1] : undefined;
      out.push(diagnostic("BRN303", `malformed reference ${JSON.stringify(m[0])}`, { ...where(), hint: name ? `did you mean "\${env:${name}}"?` : "write ${env:NAME} or ${env:NAME:-default}" }));
      malformed = true;
    }
  }
  // A credential field holding a malformed reference is one mistake, which BRN303 names.
  if (isCredential && !malformed && !SINGLE_ENV_REF.test(value)) {
    const label = key!.startsWith("header:") ? `header ${JSON.stringify(key!.slice(7))}` : JSON.stringify(key);
    // A shell ($NAME), PowerShell ($env:NAME) or Windows (%NAME%) reference, or a variable's bare name
    // (API_KEY): the same variable in brain syntax.
    const shell = /^\s*(?:\$(?:env:)?([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%|([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+))\s*$/.exec(value);
    const hint = shell ? `did you mean "\${env:${shell[1] ?? shell[2] ?? shell[3]}}"?` : "put the secret into the runtime's environment and write ${env:NAME}; a prefix such as \"Bearer \" belongs in the variable's value";
    out.push(diagnostic("BRN301", `credential field ${label} must be exactly one \${env:NAME} reference`, { ...where(), hint }));
    return;
  }
  if (key?.startsWith("named:") && isLiteral(value)) {
    out.push(diagnostic("BRN301", `${key.slice(6)} names a credential, and its value is a literal`, { ...where(), hint: "put the secret into the runtime's environment and write ${env:NAME}" }));
    return;
  }
  // A URL's query parameter named like a credential (…?appid=…, &api_key=…) holding a literal.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    for (const [, name, param] of value.matchAll(URL_QUERY)) {
      if (param.length >= SHORTEST_SECRET && namesCredential(name) && isLiteral(param)) {
        out.push(diagnostic("BRN301", `query parameter ${JSON.stringify(name)} of this URL names a credential, and its value is a literal`, { ...where(), hint: `put the secret into the runtime's environment and write ${name}=\${env:NAME}` }));
        return;
      }
    }
  }
  const secret = looksLikeSecret(value);
  if (secret) out.push(diagnostic("BRN302", `this string looks like ${secret}; secrets never live in the brain`, { ...where(), hint: secretHint(value) }));
}

/** The BRN302 hint; a text with a `:-default` may hold the secret there, so the hint says where defaults go. */
const secretHint = (text: string) =>
  /\$\{env:[^}]*:-/.test(text)
    ? "move it into an environment variable and write ${env:NAME}; a :-default is copied into the generated output, so it must not be a secret either"
    : "move it into an environment variable and write ${env:NAME}";

function scanBody(file: SourceFile, out: Diagnostic[]): void {
  if (!looksLikeSecret(file.body!.text)) return; // one pass over the whole body; lines only when it found something
  const lines = file.body!.text.split("\n");
  lines.forEach((line, i) => {
    const secret = looksLikeSecret(line);
    if (secret) {
      const lineNo = file.body!.line + i;
      out.push(diagnostic("BRN302", `this line looks like it holds ${secret}; secrets never live in the brain`, { file: file.path, range: { start: { line: lineNo, column: 1 }, end: { line: lineNo, column: line.length + 1 } } }));
    }
  });
}
