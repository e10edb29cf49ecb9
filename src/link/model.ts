/**
 * The linked brain: every reference resolved, every agent's effective policy merged, overlays applied.
 * This is all a target sees. Records are keyed by id in sorted (code-unit) order and deeply frozen.
 */
import type { Agent as AgentFile, BrainManifest, MemoryFile, ModelsFile, Policy, RoutingFile, ToolContract } from "../types/index.js";

export type ProviderFile = ModelsFile["providers"][string];
export type ModelFile = ModelsFile["models"][string];
export type NamespaceFile = MemoryFile["namespaces"][string];
export type Budget = NonNullable<NonNullable<RoutingFile["budgets"]>["global"]>;
export type Schedule = NonNullable<AgentFile["schedules"]>[number];
export type Channel = NonNullable<AgentFile["channels"]>[number];
export type McpServer = NonNullable<BrainManifest["mcpServers"]>[string];

/** A provider of models, as declared in models.yaml. Credentials stay `${env:…}` references. */
export interface Provider extends ProviderFile {
  id: string;
}

/** A model the brain can route to. */
export interface Model {
  /** The brain's id of the model (models.yaml key), e.g. "claude-sonnet-4-6". */
  id: string;
  provider: Provider;
  /** The provider's own name of the model, sent in API requests (models.yaml `id`). */
  name: string;
  /** Context window, tokens. */
  contextWindow: number;
  /** Largest completion, tokens. */
  maxOutputTokens?: number;
  /** Prices in USD per million tokens. */
  costPerMTokUsd: ModelFile["costPerMTokUsd"];
  capabilities: string[];
}

/** How one task class is routed: a primary model and its fallbacks, in order. */
export interface Route {
  /** The task class (routing.yaml key); "default" for work that names none. */
  task: string;
  description?: string;
  /** The tier the chain comes from; undefined for an explicit `models:` chain. */
  tier?: string;
  /** The chain: `chain[0]` is primary, the rest are fallbacks in order. */
  chain: Model[];
  /** The task's own budget (routing.yaml budgets.tasks), USD. */
  budget?: Budget;
}

/** A tool contract with its id. */
export interface Tool extends ToolContract {
  id: string;
  /** Brain-relative path of the contract file. */
  source: string;
}

/** A memory namespace with its id. */
export interface Namespace extends NamespaceFile {
  id: string;
}

/** A prompt template or partial, unrendered. */
export interface Template {
  id: string;
  source: string;
  description?: string;
  /** Declared extra variables: name → JSON Schema (with `default`). */
  input: Record<string, { default?: unknown } & Record<string, unknown>>;
  /** The Handlebars body. */
  body: string;
  /** 1-based line of the source file on which the body starts. */
  bodyLine: number;
}

/**
 * An agent's effective policy: the merge of brain.yaml `defaults.policies` then its own `policies`, which
 * only ever tightens (min of limits, union of deny and approval lists, intersection of allow lists).
 * `tools.allow`, `tools.deny` and `tools.requireApproval` are resolved to concrete tool ids (sorted): deny
 * and approval lists to every tool of the brain they match, `allow` to the agent's own tools it matches.
 */
export type EffectivePolicy = Omit<Policy, "description">;

/** An agent with every reference resolved. */
export interface Agent {
  id: string;
  source: string;
  name: string;
  description?: string;
  identity?: AgentFile["identity"];
  /** The routing of the agent's own turns (its `task`, or routing.yaml `default`). */
  route: Route;
  prompt: Template;
  persona?: Template;
  /** The agent's prompt rendered for it (Handlebars, strict): its instructions. */
  instructions: string;
  /** The persona prompt rendered for it (OpenClaw's SOUL.md), when it has one. */
  personaText?: string;
  /** The tools the agent can call: those it lists that its effective policy allows and does not deny. */
  tools: Tool[];
  memory: Namespace[];
  /** The policy ids merged, in order (defaults first). */
  policies: string[];
  policy: EffectivePolicy;
  /** For each effective policy field (dotted path, e.g. "loop.maxSteps"), the files that set its value. */
  provenance: Record<string, string[]>;
  schedules: (Schedule & { route: Route })[];
  heartbeat?: NonNullable<AgentFile["heartbeat"]> & { route: Route };
  channels: Channel[];
  /** routing.yaml budgets.agents.<id>, USD. */
  budget?: Budget;
}

/** The whole linked brain. */
export interface Brain {
  /** brainVersion of the source format. */
  formatVersion: 1;
  name: string;
  description?: string;
  /** The overlay applied, or "default". */
  env: string;
  gateway?: BrainManifest["gateway"];
  mcpServers: Record<string, McpServer>;
  /** brain.yaml `targets`, per target name. */
  targetOptions: Record<string, Record<string, unknown>>;
  providers: Record<string, Provider>;
  models: Record<string, Model>;
  tiers: Record<string, Model[]>;
  /** One route per declared task class. */
  tasks: Record<string, Route>;
  /** The route of work that names no task class (routing.yaml `default` tier). */
  defaultRoute: Route;
  /** routing.yaml `fallback` with its defaults filled in (`on`: rate_limit, timeout, server_error; `retriesPerModel`: 0). */
  fallback: NonNullable<RoutingFile["fallback"]> & Required<Pick<NonNullable<RoutingFile["fallback"]>, "on" | "retriesPerModel">>;
  budgets: { global?: Budget; onExceeded: "block" | "downgrade" };
  tools: Record<string, Tool>;
  policies: Record<string, Policy & { id: string; source: string }>;
  memory: Record<string, Namespace>;
  prompts: Record<string, Template>;
  partials: Record<string, Template>;
  agents: Record<string, Agent>;
  /** Brain-relative source paths of every file that went into this brain (overlay included), sorted. */
  sources: string[];
}
