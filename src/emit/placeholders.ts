import type { Tool } from "../link/model.js";
import { envSegments } from "./env-refs.js";

/** `{{name}}` placeholders of tool contracts (brain-format.md, tools/<id>.yaml). */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/** A piece of a contract string: literal text, a `${env:…}` reference or a `{{name}}` placeholder. */
export type Piece = { text: string } | { env: EnvRef } | { arg: string };
/** A `${env:NAME}` / `${env:NAME:-default}` reference. */
export type EnvRef = { env: string; default?: string };

/**
 * Splits a contract string (an http url, header, query or body value) into literal text, `${env:…}`
 * references and `{{name}}` placeholders. Only a name that is an input property is a placeholder
 * (tool.schema.json); any other `{{…}}` stays text, so it never becomes an argument the contract does not
 * declare. With `env: false` a `${env:…}` reference stays text.
 */
export function contractPieces(tool: Tool, value: string, options: { env?: boolean } = {}): Piece[] {
  const props = tool.input.properties ?? {};
  const out: Piece[] = [];
  for (const segment of options.env === false ? [{ text: value }] : envSegments(value)) {
    if ("env" in segment) {
      out.push({ env: segment });
      continue;
    }
    let last = 0;
    for (const m of segment.text.matchAll(PLACEHOLDER)) {
      if (!Object.hasOwn(props, m[1])) continue;
      if (m.index! > last) out.push({ text: segment.text.slice(last, m.index) });
      out.push({ arg: m[1] });
      last = m.index! + m[0].length;
    }
    if (last < segment.text.length) out.push({ text: segment.text.slice(last) });
  }
  return out;
}

/**
 * Where each piece of a URL starts: `start` (the URL begins with it: a placeholder there picks the
 * scheme and host), `authority` (in `scheme://host:port`: it picks the host) or `rest` (the path, query
 * or fragment, where a placeholder's value must be percent-encoded to stay one segment or value). An env
 * reference or placeholder counts as one character that is not `/`, `?` or `#`.
 */
export function urlPlaces(pieces: readonly Piece[]): ("start" | "authority" | "rest")[] {
  const shape = pieces.map((p) => ("text" in p ? p.text : "\u0000")).join("");
  const authority = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*/.exec(shape)![0].length;
  let offset = 0;
  return pieces.map((p) => {
    const start = offset;
    offset += "text" in p ? p.text.length : 1;
    return start === 0 ? "start" : start < authority ? "authority" : "rest";
  });
}
