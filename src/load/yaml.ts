import { createRequire } from "node:module";
import jsYaml from "js-yaml";
import type { Document, LineCounter, Node, Pair } from "yaml";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";

/**
 * A YAML document: its plain JS value, and (parsed on first use, since only files with a diagnostic need
 * it) yaml's Document + LineCounter, so that any JSON pointer into the value can be turned back into a
 * line:column range.
 */
export interface ParsedYaml {
  /** The plain JS value (aliases and `<<` merge keys expanded). */
  readonly value: unknown;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** Alias expansions allowed per document before it is treated as an alias bomb (yaml's own guard). */
export const MAX_ALIAS_COUNT = 100;

/**
 * How deep a document's value may nest (mappings and lists in each other). Far beyond what a brain file
 * needs, and far below what the recursive passes after loading (schema validation, secrets, targets)
 * can take before the stack overflows.
 */
export const MAX_DEPTH = 100;

/** Whether a string (key or value) anywhere in `value` holds a lone UTF-16 surrogate. */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === "string") return /\p{Cs}/u.test(value);
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([k, v]) => /\p{Cs}/u.test(k) || holdsLoneSurrogate(v));
}

/**
 * What YAML 1.1 tags the `yaml` package still resolves make instead of JSON data, by constructor: the
 * problem, and how to write the value instead.
 */
const NOT_JSON: [new (...args: never[]) => object, string, string][] = [
  [Date, "`!!timestamp` makes a date", "write the date as a string: drop the tag (an unquoted date is a string in YAML 1.2)"],
  [Uint8Array, "`!!binary` makes bytes", "write the data as a string (base64, say) without the tag"],
  [Set, "`!!set` makes a set", "write a list"],
  [Map, "`!!omap` makes an ordered map", "write a mapping"],
];

/**
 * The first thing in `value` that a brain cannot hold, with its JSON pointer: nesting more than `limit`
 * levels deeper, a number that JSON outputs cannot keep as it is (not finite, or an integer beyond
 * ±2^53, which JSON.stringify writes rounded or as null), or a value that is not JSON data ({@link NOT_JSON}).
 */
function unfit(value: unknown, limit: number, writtenAsFloat: (pointer: string) => boolean, path: string[] = []): { pointer: string; problem: string; hint?: string } | undefined {
  // `path` holds the keys down to `value`; the pointer is built only for what is found (most files have nothing).
  const pointer = () => path.map((key) => `/${escapePointer(key)}`).join("");
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { pointer: pointer(), problem: `${value} is not a finite number, which no JSON output can hold` };
    // 1e+308 is an integer to JavaScript too, but written as a float it is the double it was meant to be.
    if (Number.isInteger(value) && !Number.isSafeInteger(value) && !writtenAsFloat(pointer())) return { pointer: pointer(), problem: `the integer ${value} is beyond ±2^53 (9007199254740991), so outputs would not keep it exact` };
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    const [, what, hint] = NOT_JSON.find(([type]) => value instanceof type) ?? [, "the value's tag makes an object", undefined];
    return { pointer: pointer(), problem: `${what}, not JSON data: brain values are strings, numbers, true/false, null, lists and mappings`, hint };
  }
  if (limit === 0) return { pointer: pointer(), problem: `the value is nested more than ${MAX_DEPTH} levels deep` };
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== "number" && (typeof child !== "object" || child === null)) continue;
    path.push(key);
    const found = unfit(child, limit - 1, writtenAsFloat, path);
    if (found) return found;
    path.pop();
  }
  return undefined;
}

/** yaml's syntax errors (by code) that brainc words itself: message and hint. */
const SYNTAX_ERRORS: Record<string, [string, string]> = {
  TAB_AS_INDENT: ["Tabs are not allowed as indentation", "replace the tab with spaces (YAML indents with spaces only)"],
  MULTIPLE_DOCS: ["a brain file holds one YAML document, and a `---` line here starts another", "put each document in a file of its own"],
};

const YAML_OPTIONS = { uniqueKeys: true, merge: true, prettyErrors: false, version: "1.2" } as const;

let yamlModule: typeof import("yaml") | undefined;
/** The `yaml` package, loaded on first use: valid plain files never need it (they take the js-yaml path). */
function yaml(): typeof import("yaml") {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
}
/** js-yaml with YAML 1.2's core schema plus merge keys: the same values the `yaml` package gives. */
const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge] });
/** Anchors, tags and directives take the slow path, which bounds alias expansion and knows every tag. */
const NEEDS_FULL_PARSER = /(^|[\s,[{:-])[&!]\S|^%/m;

class LazyYaml implements ParsedYaml {
  private parsed?: { doc: Document; lineCounter: LineCounter };
  constructor(readonly value: unknown, private readonly source: string, parsed?: { doc: Document; lineCounter: LineCounter }) {
    this.parsed = parsed;
  }
  private full() {
    if (!this.parsed) {
      const lineCounter = new (yaml().LineCounter)();
      this.parsed = { doc: yaml().parseDocument(this.source, { ...YAML_OPTIONS, lineCounter }), lineCounter };
    }
    return this.parsed;
  }
  get doc() {
    return this.full().doc;
  }
  get lineCounter() {
    return this.full().lineCounter;
  }
}

/**
 * Parses YAML 1.2 text. `lineOffset` blank lines are assumed before `text` (prompt frontmatter starts on
 * line 2 of its file). Returns the parsed document, or diagnostics for syntax errors, values nested more
 * than {@link MAX_DEPTH} levels deep, numbers JSON cannot keep and lone surrogates (BRN002), duplicate keys (BRN003) and alias
 * bombs (BRN004). Plain files take a fast path (js-yaml); files with anchors, tags or errors are parsed by
 * the `yaml` package, whose diagnostics carry positions.
 */
export function parseYaml(file: string, text: string, lineOffset = 0): { parsed?: ParsedYaml; diagnostics: Diagnostic[] } {
  const result = parseYamlValue(file, text, lineOffset);
  if (!result.parsed) return result;
  const parsed = result.parsed;
  const writtenAsFloat = (pointer: string) => {
    const { start, end } = rangeAt(parsed, pointer);
    const line = text.split("\n")[start.line - 1 - lineOffset] ?? "";
    return start.line === end.line && /[.eE]/.test(line.slice(start.column - 1, end.column - 1));
  };
  const found = unfit(parsed.value, MAX_DEPTH, writtenAsFloat);
  if (found) return { diagnostics: [diagnostic("BRN002", `YAML error: ${found.problem}`, { file, range: rangeAt(parsed, found.pointer), hint: found.hint })] };
  // Only a \u escape in a double-quoted string can make a lone surrogate: the file itself is valid UTF-8.
  if (/\\u[dD][89a-fA-F]/.test(text) && holdsLoneSurrogate(parsed.value)) {
    const problem = "a string holds half of a UTF-16 surrogate pair (a \\uD800–\\uDFFF escape on its own), which no UTF-8 output can hold";
    return { diagnostics: [diagnostic("BRN002", `YAML error: ${problem}`, { file, range: { start: { line: lineOffset + 1, column: 1 }, end: { line: lineOffset + 1, column: 1 } } })] };
  }
  return result;
}

function parseYamlValue(file: string, text: string, lineOffset: number): { parsed?: ParsedYaml; diagnostics: Diagnostic[] } {
  const source = "\n".repeat(lineOffset) + text;
  if (!NEEDS_FULL_PARSER.test(text)) {
    try {
      const value = jsYaml.load(source, { schema: FAST_SCHEMA, json: false });
      return { parsed: new LazyYaml(value === undefined ? null : value, source), diagnostics: [] };
    } catch {
      // fall through: the full parser reports the problem with its position
    }
  }
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(source, { ...YAML_OPTIONS, lineCounter });
  // yaml reports its own stack overflow (a value nested thousands of levels deep) as an error at the value;
  // the errors around it follow from it.
  const overflow = doc.errors.find((e) => /Maximum call stack size exceeded/.test(e.message));
  // A tag yaml does not know (`!Ref`, `!env`) is only a warning there: the value is read as if untagged.
  const unknownTags = doc.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED");
  const errors = overflow ? [overflow] : withoutTabConsequences(source, [...doc.errors, ...unknownTags]);
  const diagnostics: Diagnostic[] = errors.map((e) => {
    const range = offsetRange(lineCounter, e.pos[0], e.pos[1]);
    if (e.code === "DUPLICATE_KEY") return diagnostic("BRN003", `duplicate key ${JSON.stringify(keyTextAt(source, e.pos[0]))}`, { file, range, hint: "keep one of the two; YAML parsers disagree on which one wins" });
    if (e === overflow) return diagnostic("BRN002", "YAML syntax error: the value is nested too deeply", { file, range });
    if (e.code === "TAG_RESOLVE_FAILED") {
      const tag = source.slice(e.pos[0], e.pos[1]).trim() || e.message.replace(/^.*tag: /, "");
      return diagnostic("BRN002", `YAML error: unknown tag ${tag}: brain files are plain data, and the value would be read as if it had no tag`, { file, range, hint: "remove the tag (brainc resolves no tags; a secret is a ${env:NAME} reference)" });
    }
    const [message, hint] = SYNTAX_ERRORS[e.code] ?? [e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")];
    return diagnostic("BRN002", `YAML syntax error: ${message}`, { file, range, hint });
  });
  if (diagnostics.length) return { diagnostics };
  try {
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { parsed: new LazyYaml(value, source, { doc, lineCounter }), diagnostics };
  } catch (e) {
    // What yaml finds only while building the value: an alias bomb, an alias before its anchor, a `<<`
    // merge of something that is not a mapping. Each is reported at the first place it can be.
    const message = (e as Error).message;
    if (/Excessive alias count/.test(message)) {
      return { diagnostics: [diagnostic("BRN004", `YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes`, { file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } })] };
    }
    const alias = /^Unresolved alias.*: (.*)$/.exec(message)?.[1];
    const merge = /^Merge sources/.test(message);
    const at = Math.max(0, alias !== undefined ? source.indexOf(`*${alias}`) : merge ? source.search(/(?<=^|[\s{,])<<\s*:/m) : 0);
    const range = offsetRange(lineCounter, at, at + (alias !== undefined ? alias.length + 1 : 2));
    const hint = alias !== undefined ? "define the anchor (&name) before the alias (*name) that repeats it" : merge ? "`<<:` merges a mapping (or a list of mappings) into this one" : undefined;
    return { diagnostics: [diagnostic("BRN002", `YAML error: ${message.split("\n")[0]}`, { file, range, hint })] };
  }
}

/**
 * A tab in the indentation also breaks the structure around it: the other syntax errors from its line on
 * ("nested mappings are not allowed in compact mappings", "all mapping items must start at the same
 * column" …) follow from the tab, and so does a duplicate key on a tab's line (the key lands in the
 * mapping above). Each tab is reported, and so is every other duplicate key.
 */
function withoutTabConsequences<E extends { code: string; pos: [number, number] }>(source: string, errors: E[]): E[] {
  const lineStart = (offset: number) => source.lastIndexOf("\n", offset - 1) + 1;
  const tabs = errors.filter((e) => e.code === "TAB_AS_INDENT");
  if (!tabs.length) return errors;
  const tabLines = new Set(tabs.map((e) => lineStart(e.pos[0])));
  const first = lineStart(tabs[0].pos[0]);
  return errors.filter((e) => e.code === "TAB_AS_INDENT" || lineStart(e.pos[0]) < first || (e.code === "DUPLICATE_KEY" && !tabLines.has(lineStart(e.pos[0]))));
}

function keyTextAt(source: string, offset: number): string {
  const m = /^[^:\n]*/.exec(source.slice(offset));
  return (m ? m[0] : "").trim().replace(/^["']|["']$/g, "");
}

/** Converts character offsets to a 1-based range. */
export function offsetRange(lineCounter: LineCounter, start: number, end: number): Range {
  const s = lineCounter.linePos(start);
  const e = lineCounter.linePos(Math.max(start, end));
  return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
}

/** Encodes a key as one RFC 6901 JSON pointer segment (`~` → `~0`, `/` → `~1`). */
export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Decodes one RFC 6901 JSON pointer segment. */
export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function deref(doc: Document, node: unknown): unknown {
  return yaml().isAlias(node) ? node.resolve(doc) : node;
}

function findPair(doc: Document, map: unknown, key: string, seen = new Set<unknown>()): Pair | undefined {
  const m = deref(doc, map);
  if (!yaml().isMap(m) || seen.has(m)) return undefined;
  seen.add(m);
  let merged: Pair | undefined;
  for (const pair of m.items) {
    const k = yaml().isScalar(pair.key) ? pair.key.value : pair.key;
    if (String(k) === key) return pair;
    // yaml 2.x parses a merge key's name as Symbol(<<) (older versions: the string "<<").
    if ((k === "<<" || (typeof k === "symbol" && k.description === "<<")) && !merged) {
      const sources = deref(doc, pair.value);
      for (const src of yaml().isSeq(sources) ? sources.items : [sources]) {
        const found = findPair(doc, src, key, seen);
        if (found) {
          merged = found;
          break;
        }
      }
    }
  }
  return merged;
}

/**
 * The range of the node at a JSON pointer (`/agents/0/name`). `part` "key" points at the key of the last
 * segment (for unknown or misnamed keys), "value" at its value. When the pointer leads nowhere (a value
 * that is missing), the range of the deepest node that exists is returned.
 */
export function rangeAt(parsed: ParsedYaml, pointer: string, part: "key" | "value" = "value"): Range {
  const { doc, lineCounter } = parsed;
  const segments = pointer === "" ? [] : pointer.split("/").slice(1).map(unescapePointer);
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of segments) {
    const current = deref(doc, node);
    if (yaml().isMap(current)) {
      const pair = findPair(doc, current, segment);
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value ?? pair.key;
    } else if (yaml().isSeq(current)) {
      const item = current.items[Number(segment)];
      if (item === undefined) break;
      keyNode = undefined;
      node = item;
    } else break;
  }
  const target = (part === "key" && keyNode ? keyNode : node) as Node | null | undefined;
  if (target && yaml().isPair(target)) return rangeAt(parsed, "", part);
  const r = target?.range;
  if (!r) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return offsetRange(lineCounter, r[0], r[1]);
}
