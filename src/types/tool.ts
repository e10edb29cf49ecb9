// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * Maximum duration of one call (duration). Default: the runtime's default.
 */
export type Duration = string;
/**
 * Id of the MCP server (a key of brain.yaml mcpServers).
 */
export type Id = string;

/**
 * tools/<id>.yaml: a tool contract; its id is the file stem. It describes the arguments and result as JSON Schema, the risk, the approval rule and exactly one implementation.
 */
export interface ToolContract {
  /**
   * What the tool does, written for the model that decides whether to call it.
   */
  description: string;
  input: JSONSchemaOfAnObject;
  output?: JSONSchema;
  /**
   * What calling the tool can do: read (reads data), write (changes data), exec (runs commands), network (reaches other hosts), message (talks to people), credential (uses or reveals secrets), destructive (cannot be undone). Policies and approval use it. Default: none.
   */
  risk?: ("read" | "write" | "exec" | "network" | "message" | "credential" | "destructive")[];
  /**
   * When a human must approve a call: never, always, or on-risk (ask when the call matches a guard of the agent's effective policy). Policies' tools.requireApproval can only add approvals. Default: never.
   */
  approval?: "never" | "always" | "on-risk";
  timeout?: Duration;
  /**
   * How the tool runs: exactly one of http, mcp or builtin.
   */
  implementation: {
    /**
     * An HTTP request built from the arguments. url, header values, query values and strings in body may hold {{name}} placeholders of top-level input properties.
     */
    http?: {
      /**
       * HTTP method. Default: GET.
       */
      method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      /**
       * Request URL; may hold {{name}} placeholders of input properties and ${env:NAME} references.
       */
      url: string;
      headers?: HTTPHeaders;
      /**
       * Query parameters appended to the URL (URL-encoded), name to value; values may hold {{name}} placeholders.
       */
      query?: {
        /**
         * Value of the parameter; may hold {{name}} placeholders.
         */
        [k: string]: string;
      };
      /**
       * JSON request body (sent as application/json); any string inside may hold {{name}} placeholders, and a string that is exactly one placeholder takes the argument's JSON value. Default: no body.
       */
      body?: {
        [k: string]: unknown;
      };
    };
    /**
     * A tool of an MCP server declared in brain.yaml mcpServers; the arguments are passed unchanged.
     */
    mcp?: {
      server: Id;
      /**
       * Name of the tool on that server (for example search_messages).
       */
      tool: string;
    };
    /**
     * A tool that a runtime already has, named per target. A target without an entry cannot run this tool.
     */
    builtin?: {
      /**
       * Name of the OpenClaw built-in tool (for example exec, web_fetch).
       */
      openclaw?: string;
      /**
       * Type of the n8n tool node (for example n8n-nodes-base.httpRequestTool).
       */
      n8n?: string;
      /**
       * Name of the brainc supervisor built-in tool (for example exec).
       */
      supervisor?: string;
    };
  };
}
/**
 * JSON Schema (draft-07) of the arguments; the top level must be `type: object`. Describe every property: the model reads these descriptions.
 */
export interface JSONSchemaOfAnObject {
  /**
   * Always `object`: the top level of this schema describes an object.
   */
  type: "object";
  [k: string]: unknown;
}
/**
 * JSON Schema (draft-07) of the result. Default: unspecified.
 */
export interface JSONSchema {
  [k: string]: unknown;
}
/**
 * Request headers; values may hold {{name}} placeholders. Credential-carrying values must be exactly one ${env:NAME} reference; never a literal secret.
 */
export interface HTTPHeaders {
  /**
   * The header's value. If it carries a credential it must be exactly one ${env:NAME} reference; never a literal secret.
   */
  [k: string]: string;
}
