import { canonicalJson } from "../../src/emit/canonical.js";
import { envJs, jsString, n8nLiteral } from "./expressions.js";
import { envSegments } from "../../src/emit/env-refs.js";
import { credentialId } from "./ids.js";

/** A credential reference as n8n stores it in a node: `{ "<credential type>": { id, name } }`. */
export type CredentialRef = Record<string, { id: string; name: string }>;

/** One credential a workflow needs: n8n credential type (e.g. openAiApi), its name, and template data. */
export interface CredentialSpec {
  type: string;
  name: string;
  /** Field → value; `${env:…}` references are written as n8n `{{ $env.NAME }}` expressions, never resolved. */
  data: Record<string, unknown>;
}

/**
 * A credential field value for the template: literal text stays; env references become n8n expressions
 * (`={{ $env.NAME }}`), so the template holds no secret and says where the value comes from.
 */
export function credentialValue(value: string): string {
  const segments = envSegments(value);
  if (segments.every((s) => "text" in s)) return n8nLiteral(value);
  return "={{ " + segments.map((s) => ("text" in s ? jsString(s.text) : envJs(s))).join(" + ") + " }}";
}

/** Collects the credentials the workflows of one brain reference (first data wins for a type + name). */
export class CredentialSet {
  private readonly specs = new Map<string, CredentialSpec>();
  /** Credentials named twice with different data: [type, name], once each. */
  readonly conflicts: [string, string][] = [];

  /** Registers a credential and returns the node's `credentials` entry; different data under a used name is a conflict. */
  use(spec: CredentialSpec): CredentialRef {
    const key = `${spec.type}\0${spec.name}`;
    const known = this.specs.get(key);
    if (!known) this.specs.set(key, spec);
    else if (canonicalJson(known.data) !== canonicalJson(spec.data) && !this.conflicts.some(([t, n]) => t === spec.type && n === spec.name)) this.conflicts.push([spec.type, spec.name]);
    return { [spec.type]: { id: credentialId(spec.type, spec.name), name: spec.name } };
  }

  /**
   * `credentials.json`: an array in the format of `n8n import:credentials --input` (n8n 2.41), sorted by
   * type then name; `data` holds no secrets, only `{{ $env.NAME }}` expressions and non-secret settings.
   */
  toJson(): string {
    const list = [...this.specs.values()]
      .sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type < b.type ? -1 : 1))
      .map((s) => ({ id: credentialId(s.type, s.name), name: s.name, type: s.type, data: s.data }));
    return canonicalJson(list);
  }
}
