// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * overlays/<env>.yaml: an environment overlay (for example prod), a JSON Merge Patch (RFC 7396) over the brain keyed the way the brain is laid out. Prompts cannot be patched: keep environment differences out of prompts (the render context has {{env}}). The merged brain is validated exactly like a brain without overlays.
 */
export interface Overlay {
  /**
   * A JSON Merge Patch (RFC 7396) over brain.yaml: objects merge key by key, null deletes a key, arrays and other values replace.
   */
  brain?: {
    [k: string]: unknown;
  };
  /**
   * A JSON Merge Patch (RFC 7396) over models.yaml: objects merge key by key, null deletes a key, arrays and other values replace.
   */
  models?: {
    [k: string]: unknown;
  };
  /**
   * A JSON Merge Patch (RFC 7396) over routing.yaml: objects merge key by key, null deletes a key, arrays and other values replace.
   */
  routing?: {
    [k: string]: unknown;
  };
  /**
   * A JSON Merge Patch (RFC 7396) over memory.yaml: objects merge key by key, null deletes a key, arrays and other values replace.
   */
  memory?: {
    [k: string]: unknown;
  };
  /**
   * Patches of agents, keyed by id. Each value is a JSON Merge Patch (RFC 7396) over agents/<id>.yaml; an id that does not exist yet adds a new agent, null deletes it.
   */
  agents?: {
    /**
     * A JSON Merge Patch (RFC 7396) over agents/<id>.yaml, or null to delete it.
     */
    [k: string]: {
      [k: string]: unknown;
    } | null;
  };
  /**
   * Patches of tools, keyed by id. Each value is a JSON Merge Patch (RFC 7396) over tools/<id>.yaml; an id that does not exist yet adds a new tool, null deletes it.
   */
  tools?: {
    /**
     * A JSON Merge Patch (RFC 7396) over tools/<id>.yaml, or null to delete it.
     */
    [k: string]: {
      [k: string]: unknown;
    } | null;
  };
  /**
   * Patches of policies, keyed by id. Each value is a JSON Merge Patch (RFC 7396) over policies/<id>.yaml; an id that does not exist yet adds a new policie, null deletes it.
   */
  policies?: {
    /**
     * A JSON Merge Patch (RFC 7396) over policies/<id>.yaml, or null to delete it.
     */
    [k: string]: {
      [k: string]: unknown;
    } | null;
  };
}
