import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { escapePointer, unescapePointer } from "../load/yaml.js";
import { traverseSchema } from "../schema-tools/traverse.js";
import type { Locate } from "./schema.js";

/** The subschema of `root` at a `#…` reference (a JSON pointer, or a plain-name `$id` such as `#item`), if any. */
function resolveLocal(root: object, ref: string): unknown {
  const fragment = ref.slice(1);
  if (fragment !== "" && !fragment.startsWith("/")) {
    let found: unknown;
    traverseSchema(root, (s) => {
      if (s.$id === ref) found ??= s;
    });
    return found;
  }
  let node: unknown = root;
  for (const segment of fragment.split("/").slice(1)) {
    let key: string;
    try {
      key = unescapePointer(decodeURIComponent(segment));
    } catch {
      return undefined;
    }
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Whether following `$ref`s from `start` (a subschema of `root`) comes back to `start`, with no subschema
 * in between (a loop reached from elsewhere is reported where it closes).
 */
function refersToItself(root: object, start: Record<string, unknown>): boolean {
  const seen = new Set<unknown>();
  let node: unknown = start;
  while (typeof node === "object" && node !== null && typeof (node as { $ref?: unknown }).$ref === "string") {
    if (seen.has(node)) return node === start;
    seen.add(node);
    node = resolveLocal(root, (node as { $ref: string }).$ref);
  }
  return false;
}

/** Whether `pattern` compiles as ajv compiles it (ECMAScript, `u` flag). */
function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/**
 * BRN108 for what the draft-07 meta-schema lets through in an embedded JSON Schema (`schema`, at
 * `pointer` in its document) but a build cannot use: a `$ref` that leaves the schema (a file or a URL,
 * which json-schema-to-typescript would read or download during the build, and no runtime resolves) or
 * that points nowhere in it, and a `pattern` or `patternProperties` key that is not a regular expression
 * (ECMAScript with the `u` flag, as ajv compiles it).
 */
export function checkSchemaReferences(schema: unknown, pointer: string, locate: Locate): Diagnostic[] {
  if (typeof schema !== "object" || schema === null) return [];
  // Most schemas have neither (one native pass instead of a walk).
  const text = JSON.stringify(schema);
  if (!text.includes('"$ref"') && !text.includes('"pattern')) return [];
  const out: Diagnostic[] = [];
  const at = (where: string, part: "key" | "value", message: string, hint?: string) => out.push(diagnostic("BRN108", message, { ...locate(`${pointer}${where}`, part), hint }));
  traverseSchema(schema, (s, path) => {
    if (typeof s.$ref === "string") {
      const ref = s.$ref;
      if (!ref.startsWith("#")) at(`${path}/$ref`, "value", `$ref ${JSON.stringify(ref)} points outside the schema`, "brainc resolves only references inside the schema (#/definitions/…), so that a build reads no file and no URL: copy the referenced schema under definitions");
      else if (resolveLocal(schema, ref) === undefined) at(`${path}/$ref`, "value", `$ref ${JSON.stringify(ref)} points nowhere in this schema`, "a reference is a JSON pointer from the schema's root, such as #/definitions/item");
      else if (refersToItself(schema, s)) at(`${path}/$ref`, "value", `$ref ${JSON.stringify(ref)} leads back to itself through references alone`, "a recursive schema refers to itself from inside a subschema (properties, items …), never as the whole schema");
    }
    if (typeof s.pattern === "string" && !isRegExp(s.pattern)) at(`${path}/pattern`, "value", `pattern ${JSON.stringify(s.pattern)} is not a regular expression`, "patterns are ECMAScript regular expressions (with the u flag)");
    if (typeof s.patternProperties === "object" && s.patternProperties !== null) {
      for (const key of Object.keys(s.patternProperties)) {
        if (!isRegExp(key)) at(`${path}/patternProperties/${escapePointer(key)}`, "key", `patternProperties key ${JSON.stringify(key)} is not a regular expression`, "patterns are ECMAScript regular expressions (with the u flag)");
      }
    }
  });
  return out;
}
