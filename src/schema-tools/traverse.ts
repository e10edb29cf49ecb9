import { createRequire } from "node:module";

/** This module's URL: generators whose output depends on its code put a digest of it into their cache keys. */
export const TRAVERSE_MODULE = import.meta.url;

/**
 * Calls `visit` for every subschema of a draft-07 JSON Schema, the root included, with its JSON pointer
 * and, below the root, the keyword and key it sits under (`definitions`, `item`): json-schema-traverse,
 * ajv's own walker (loaded on first use). Only schema keywords are walked, not `enum` or `const` values.
 */
export function traverseSchema(schema: object, visit: (subschema: Record<string, unknown>, pointer: string, parentPointer: string | undefined, keyword: string | undefined, key: string | number | undefined) => void): void {
  type Callback = (s: Record<string, unknown>, pointer: string, root: object, parentPointer?: string, keyword?: string, parent?: object, key?: string | number) => void;
  const traverse = createRequire(import.meta.url)("json-schema-traverse") as (s: object, options: { allKeys: boolean }, cb: Callback) => void;
  traverse(schema, { allKeys: false }, (s, pointer, _root, parentPointer, keyword, _parent, key) => visit(s, pointer, parentPointer, keyword, key));
}
