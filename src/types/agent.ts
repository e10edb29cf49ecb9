// Generated from schemas/*.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit.

/**
 * Id of the prompt with the agent's instructions: its path under prompts/ without .md (for example uptime-monitor or ops/incident-report).
 */
export type PromptId = string;
/**
 * Optional id of a prompt with the agent's voice and boundaries (OpenClaw SOUL.md).
 */
export type PromptId1 = string;
/**
 * Task class of the agent's own turns (routing). Default: routing.yaml `default` tier.
 */
export type TaskClass = string;
/**
 * An id of an agent, tool, policy, prompt segment, memory namespace, provider or MCP server: lowercase letters, digits and '-', starting with a letter, at most 63 characters (like a Kubernetes object name).
 */
export type Id = string;
/**
 * Fixed interval between runs (duration of at least 1s, for example 5m).
 */
export type Duration = string;
/**
 * Task class of the scheduled turns. Default: the agent's task.
 */
export type TaskClass1 = string;
/**
 * Interval between heartbeats (duration of at least 1s, for example 30m).
 */
export type Duration1 = string;
/**
 * Task class of heartbeat turns, usually a cheap one such as heartbeat_check. Default: the agent's task.
 */
export type TaskClass2 = string;

/**
 * agents/<id>.yaml: one agent; its id is the file stem. It names its prompt, tools, policies, memory, schedules and channels.
 */
export interface Agent {
  /**
   * Display name of the agent (for example Uptime monitor); available to prompts as {{agent.name}}.
   */
  name: string;
  /**
   * What the agent does, in a sentence or two; available to prompts as {{agent.description}}.
   */
  description?: string;
  prompt: PromptId;
  persona?: PromptId1;
  /**
   * How the agent presents itself in chat channels. Every key is optional.
   */
  identity?: {
    /**
     * Name the agent uses in chats (for example Sentry). Default: the agent's name.
     */
    name?: string;
    /**
     * Emoji shown with the agent's messages.
     */
    emoji?: string;
    /**
     * Short free-text description of the agent's style (for example calm night-shift operator).
     */
    theme?: string;
    /**
     * Avatar image: a path relative to the brain root or an https URL.
     */
    avatar?: string;
  };
  task?: TaskClass;
  /**
   * Tool ids (files in tools/) the agent may use.
   */
  tools?: Id[];
  /**
   * Policy ids (files in policies/) applied after brain.yaml defaults.policies, in order; merging only ever tightens.
   */
  policies?: Id[];
  /**
   * Memory namespaces (keys of memory.yaml namespaces) the agent may read; it may write agent-scoped ones and shared ones that list it as a writer.
   */
  memory?: Id[];
  /**
   * Timed jobs that wake the agent with a message.
   */
  schedules?: Schedule[];
  /**
   * Periodic liveness wake-up (OpenClaw heartbeat): the agent checks whether anything needs attention.
   */
  heartbeat?: {
    every: Duration1;
    task?: TaskClass2;
    /**
     * Heartbeat prompt sent to the agent. Default: the runtime's default heartbeat prompt.
     */
    message?: string;
  };
  /**
   * Where people reach the agent: telegram, whatsapp, slack, discord, signal, imessage (OpenClaw bindings); webhook, chat (n8n triggers).
   */
  channels?: Channel[];
}
/**
 * One timed job: exactly one of `every` (a fixed interval) or `cron` (a cron expression).
 */
export interface Schedule {
  every?: Duration;
  /**
   * Standard 5-field cron expression: minute hour day-of-month month day-of-week (for example 0 9 * * 1-5), evaluated in `timezone`.
   */
  cron?: string;
  /**
   * IANA time zone in which `cron` is evaluated (for example Europe/Berlin); only with cron. Default: UTC.
   */
  timezone?: string;
  task?: TaskClass1;
  /**
   * Message the agent receives when the schedule fires.
   */
  message: string;
}
/**
 * One way people reach the agent.
 */
export interface Channel {
  /**
   * Kind of channel: telegram, whatsapp, slack, discord, signal, imessage (OpenClaw bindings); webhook, chat (n8n triggers).
   */
  channel: "telegram" | "whatsapp" | "slack" | "discord" | "signal" | "imessage" | "webhook" | "chat";
  /**
   * Account of the channel in the runtime (the OpenClaw channel account, for example ops-bot). Default: the runtime's default account.
   */
  accountId?: string;
  /**
   * URL path of a webhook trigger (webhook only), lowercase, for example uptime. Default: the agent id.
   */
  path?: string;
  /**
   * What this channel is used for.
   */
  description?: string;
}
