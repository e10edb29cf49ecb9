// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * An id of an agent, tool, policy, prompt segment, memory namespace, provider or MCP server: lowercase letters, digits and '-', starting with a letter, at most 63 characters (like a Kubernetes object name).
 */
export type Id = string;
/**
 * Records older than this are deleted (duration, for example 30d).
 */
export type Duration = string;

/**
 * memory.yaml: the memory schema: namespaces of structured records that agents read and write.
 */
export interface MemoryFile {
  /**
   * Memory namespaces, keyed by namespace id.
   */
  namespaces: {
    [k: string]: Namespace;
  };
}
/**
 * One namespace of records.
 */
export interface Namespace {
  /**
   * What the records are; shown to agents that use the namespace.
   */
  description?: string;
  /**
   * agent: a private store for each agent that lists it; shared: one store for all agents that list it.
   */
  scope: "agent" | "shared";
  /**
   * Shared namespaces only: agent ids that may write; every agent listing the namespace may read. Default: every agent that lists it may write.
   */
  writers?: Id[];
  /**
   * Name of the record property that identifies a record: writing a record with an existing key replaces it. Default: no key, records are appended.
   */
  key?: string;
  record: JSONSchemaOfAnObject;
  /**
   * How long records are kept; the oldest go first. Default: forever.
   */
  retention?: {
    /**
     * Maximum records kept (per agent for agent scope).
     */
    maxRecords?: number;
    ttl?: Duration;
  };
}
/**
 * JSON Schema (draft-07) of one record; the top level must be `type: object`.
 */
export interface JSONSchemaOfAnObject {
  /**
   * Always `object`: the top level of this schema describes an object.
   */
  type: "object";
  [k: string]: unknown;
}
