// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * Slug of the brain (for example acme-ops), used in generated names such as workflow names, workspace folders and model-group prefixes.
 */
export type Id = string;
/**
 * An id of an agent, tool, policy, prompt segment, memory namespace, provider or MCP server: lowercase letters, digits and '-', starting with a letter, at most 63 characters (like a Kubernetes object name).
 */
export type Id1 = string;

/**
 * brain.yaml: the manifest that marks the root of a brain directory. It names the brain, the optional OpenAI-compatible gateway, the MCP servers that tool contracts may use, the policies applied to every agent, and per-target options.
 */
export interface BrainManifest {
  /**
   * Version of the brain format this directory is written in. Always 1.
   */
  brainVersion: 1;
  name: Id;
  /**
   * One or two sentences about what the agents of this brain do; available to prompts as {{brain.description}}.
   */
  description?: string;
  /**
   * Optional OpenAI-compatible gateway (for example the LiteLLM proxy built from this brain) that runtimes call instead of the providers directly. When absent, runtimes call the providers of models.yaml directly.
   */
  gateway?: {
    /**
     * Base URL of the gateway's OpenAI-compatible API, including the version path (for example http://127.0.0.1:4000/v1). May contain ${env:NAME} or ${env:NAME:-default} references.
     */
    baseUrl: string;
    /**
     * Key that runtimes send to the gateway. Credential: must be exactly one ${env:NAME} reference; never a literal secret. Targets render the reference in their own native form; it is never resolved at build time.
     */
    apiKey?: string;
  };
  /**
   * MCP servers that tool contracts may name in implementation.mcp.server, keyed by server id. Each is either remote (`url`) or a local stdio process (`command`).
   */
  mcpServers?: {
    [k: string]: MCPServer;
  };
  /**
   * Settings applied to every agent.
   */
  defaults?: {
    /**
     * Policy ids (files in policies/) applied to every agent, in order, before the agent's own `policies`. Merging only ever tightens.
     */
    policies?: Id1[];
  };
  /**
   * Per-target options, keyed by target name; every key is optional. The built-in targets are openclaw, n8n, litellm and supervisor. Any other key is a third-party target and must name its `module`.
   */
  targets?: {
    /**
     * Options of the OpenClaw target (agents, workspaces, skills, cron jobs and channel bindings).
     */
    openclaw?: {
      /**
       * OpenClaw release the output is generated for. Default: the newest supported, 2026.9.
       */
      version?: "2026.9";
      /**
       * Directory under which each agent's OpenClaw workspace is placed (<workspaceRoot>/<agent id>). May start with ~ and contain ${env:NAME} references. Default: ~/.openclaw/brains/<brain name>.
       */
      workspaceRoot?: string;
      /**
       * What OpenClaw's Skill Workshop does with the skills it learns from the agents' sessions, which live outside the brain (skills.workshop.autonomous.mode, OpenClaw 2026.9). off: nothing but its suggestion nudge, so each agent's skills are the brain's. propose: it queues them for a person to accept. auto (OpenClaw's own default): it applies them, and runs a weekly skill-review turn of every agent that edits them. Default: off.
       */
      skillWorkshop?: "off" | "propose" | "auto";
    };
    /**
     * Options of the n8n target (one AI Agent workflow per agent).
     */
    n8n?: {
      /**
       * n8n release the workflows are generated for. Default: the newest supported, 2.41.
       */
      version?: "2.41";
      /**
       * Name of the n8n OpenAI-type credential (as shown in n8n) that the chat-model nodes use to reach the gateway of brain.yaml. Default: "<brain name> gateway". A credential name, not a secret.
       */
      llmCredential?: string;
      /**
       * Chat-memory node used for conversations: postgres (Postgres Chat Memory), redis (Redis Chat Memory) or buffer (in-process Window Buffer Memory, lost on restart). Default: buffer.
       */
      memory?: "postgres" | "redis" | "buffer";
      /**
       * Name of the n8n credential (as shown in n8n) of the Postgres or Redis memory backend; required when memory is postgres or redis. A credential name, not a secret.
       */
      memoryCredential?: string;
      /**
       * Without a gateway: the name of the n8n credential (as shown in n8n) of each provider of models.yaml, keyed by provider id, for the provider's own chat-model node. Default: "<brain name> <provider id>". Credential names, not secrets.
       */
      providerCredentials?: {
        /**
         * Name of the n8n credential of this provider.
         */
        [k: string]: string;
      };
      /**
       * Where the error workflow posts each failed run of an agent workflow: an incoming-webhook URL (Slack, Mattermost, Google Chat; a Discord webhook URL followed by /slack), sent a POST with the JSON body {"text": "…"} naming the workflow, the failed node, the error and the execution's URL. Credential: must be exactly one ${env:NAME} reference (such URLs carry their own secret); n8n reads it from its environment. Unset: failed runs show only in n8n's executions list.
       */
      errorAlertUrl?: string;
      /**
       * How callers of the agents' webhook channels prove who they are. A header and token: every Webhook trigger checks them with n8n's Header Auth (credential "<brain name> webhook" in credentials.json) and answers 403 to a call without them. "none": the webhooks take calls from anyone who can reach n8n (for an instance behind a proxy that authenticates callers). Unset while agents have webhook channels: brainc warns (BRN514) and writes them without authentication.
       */
      webhookAuth?:
        | "none"
        | {
            /**
             * The HTTP header that carries the token. Default: X-Webhook-Token.
             */
            header?: string;
            /**
             * The token callers send. Credential: must be exactly one ${env:NAME} reference; never a literal secret. n8n reads it from its environment ({{ $env.NAME }} in the credential); while it is unset, every call is refused (500).
             */
            token: string;
          };
    };
    /**
     * Options of the LiteLLM proxy target (config.yaml with model groups, fallbacks, retries and budgets).
     */
    litellm?: {
      /**
       * LiteLLM proxy master key (general_settings.master_key). Credential: must be exactly one ${env:NAME} reference; never a literal secret. Targets render the reference in their own native form; it is never resolved at build time.
       */
      masterKey?: string;
      /**
       * Postgres URL of the LiteLLM proxy, needed for budgets and spend tracking. Credential: must be exactly one ${env:NAME} reference; never a literal secret. Targets render the reference in their own native form; it is never resolved at build time.
       */
      databaseUrl?: string;
      /**
       * Timeout of one model call through the proxy (litellm_params.timeout and router_settings.timeout), a duration such as 120s or 10m. Default: 10m.
       */
      timeout?: string;
      /**
       * LiteLLM logging callbacks to turn on (litellm_settings.callbacks), for example prometheus, otel or langfuse. Default: none.
       *
       * Items: Name of a LiteLLM callback.
       */
      callbacks?: string[];
    };
    /**
     * Options of brainc's own supervisor target. It has none yet; write `supervisor: {}` to build it.
     */
    supervisor?: {};
    /**
     * Options of a third-party target. `module` names its code; every other key is passed to the target, which validates it with its own optionsSchema.
     */
    [k: string]:
      | {
          /**
           * Path of a JS module whose default export is a brainc Target, relative to the brain root (for example ./targets/my-target.js).
           */
          module: string;
          [k: string]: unknown;
        }
      | {
          /**
           * OpenClaw release the output is generated for. Default: the newest supported, 2026.9.
           */
          version?: "2026.9";
          /**
           * Directory under which each agent's OpenClaw workspace is placed (<workspaceRoot>/<agent id>). May start with ~ and contain ${env:NAME} references. Default: ~/.openclaw/brains/<brain name>.
           */
          workspaceRoot?: string;
          /**
           * What OpenClaw's Skill Workshop does with the skills it learns from the agents' sessions, which live outside the brain (skills.workshop.autonomous.mode, OpenClaw 2026.9). off: nothing but its suggestion nudge, so each agent's skills are the brain's. propose: it queues them for a person to accept. auto (OpenClaw's own default): it applies them, and runs a weekly skill-review turn of every agent that edits them. Default: off.
           */
          skillWorkshop?: "off" | "propose" | "auto";
        }
      | {
          /**
           * n8n release the workflows are generated for. Default: the newest supported, 2.41.
           */
          version?: "2.41";
          /**
           * Name of the n8n OpenAI-type credential (as shown in n8n) that the chat-model nodes use to reach the gateway of brain.yaml. Default: "<brain name> gateway". A credential name, not a secret.
           */
          llmCredential?: string;
          /**
           * Chat-memory node used for conversations: postgres (Postgres Chat Memory), redis (Redis Chat Memory) or buffer (in-process Window Buffer Memory, lost on restart). Default: buffer.
           */
          memory?: "postgres" | "redis" | "buffer";
          /**
           * Name of the n8n credential (as shown in n8n) of the Postgres or Redis memory backend; required when memory is postgres or redis. A credential name, not a secret.
           */
          memoryCredential?: string;
          /**
           * Without a gateway: the name of the n8n credential (as shown in n8n) of each provider of models.yaml, keyed by provider id, for the provider's own chat-model node. Default: "<brain name> <provider id>". Credential names, not secrets.
           */
          providerCredentials?: {
            /**
             * Name of the n8n credential of this provider.
             */
            [k: string]: string;
          };
          /**
           * Where the error workflow posts each failed run of an agent workflow: an incoming-webhook URL (Slack, Mattermost, Google Chat; a Discord webhook URL followed by /slack), sent a POST with the JSON body {"text": "…"} naming the workflow, the failed node, the error and the execution's URL. Credential: must be exactly one ${env:NAME} reference (such URLs carry their own secret); n8n reads it from its environment. Unset: failed runs show only in n8n's executions list.
           */
          errorAlertUrl?: string;
          /**
           * How callers of the agents' webhook channels prove who they are. A header and token: every Webhook trigger checks them with n8n's Header Auth (credential "<brain name> webhook" in credentials.json) and answers 403 to a call without them. "none": the webhooks take calls from anyone who can reach n8n (for an instance behind a proxy that authenticates callers). Unset while agents have webhook channels: brainc warns (BRN514) and writes them without authentication.
           */
          webhookAuth?:
            | "none"
            | {
                /**
                 * The HTTP header that carries the token. Default: X-Webhook-Token.
                 */
                header?: string;
                /**
                 * The token callers send. Credential: must be exactly one ${env:NAME} reference; never a literal secret. n8n reads it from its environment ({{ $env.NAME }} in the credential); while it is unset, every call is refused (500).
                 */
                token: string;
              };
        }
      | {
          /**
           * LiteLLM proxy master key (general_settings.master_key). Credential: must be exactly one ${env:NAME} reference; never a literal secret. Targets render the reference in their own native form; it is never resolved at build time.
           */
          masterKey?: string;
          /**
           * Postgres URL of the LiteLLM proxy, needed for budgets and spend tracking. Credential: must be exactly one ${env:NAME} reference; never a literal secret. Targets render the reference in their own native form; it is never resolved at build time.
           */
          databaseUrl?: string;
          /**
           * Timeout of one model call through the proxy (litellm_params.timeout and router_settings.timeout), a duration such as 120s or 10m. Default: 10m.
           */
          timeout?: string;
          /**
           * LiteLLM logging callbacks to turn on (litellm_settings.callbacks), for example prometheus, otel or langfuse. Default: none.
           *
           * Items: Name of a LiteLLM callback.
           */
          callbacks?: string[];
        }
      | {}
      | undefined;
  };
}
/**
 * One MCP server: exactly one of `url` (a remote server) or `command` (a local server over stdio).
 */
export interface MCPServer {
  /**
   * Endpoint of a remote MCP server. May contain ${env:NAME} references.
   */
  url?: string;
  /**
   * Transport of a remote server (only with url): streamable-http or the older sse. Default: streamable-http.
   */
  transport?: "streamable-http" | "sse";
  headers?: HTTPHeaders;
  /**
   * Executable that starts a local MCP server speaking stdio (for example npx or uvx).
   */
  command?: string;
  /**
   * Arguments of `command` (only with command), in order.
   */
  args?: string[];
  /**
   * Environment variables of the server process (only with command), name to value. Values may contain ${env:NAME} references; a value that carries a credential must be exactly one ${env:NAME} reference, never a literal secret.
   */
  env?: {
    /**
     * Value of the variable; a credential must be exactly one ${env:NAME} reference.
     */
    [k: string]: string;
  };
  /**
   * Working directory of the server process (only with command). Default: the runtime's working directory.
   */
  cwd?: string;
}
/**
 * HTTP headers sent to a remote server (only with url), for example Authorization. Credential-carrying values must be exactly one ${env:NAME} reference; never a literal secret.
 */
export interface HTTPHeaders {
  /**
   * The header's value. If it carries a credential it must be exactly one ${env:NAME} reference; never a literal secret.
   */
  [k: string]: string;
}
