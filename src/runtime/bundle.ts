/**
 * The supervisor bundle as the runtime reads it: `generated/supervisor/bundle.json`, written by brainc's
 * supervisor target (targets/supervisor/bundle.ts, `bundleVersion` 1). The runtime imports nothing else
 * of brainc: these types restate the bundle's shape, and {@link loadBundle} checks a bundle against them
 * (test/runtime/bundle.test.ts loads the committed bundle through it).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";

/** An env reference kept by the bundle: `{"$env": "NAME"}`, optionally with a `default`. */
export interface EnvRef {
  $env: string;
  default?: string;
}
/** A string that may hold env references: literal, one reference, or a concatenation. */
export type EnvValue = string | EnvRef | { $concat: (string | EnvRef)[] };

/** Backoff between attempts (durations such as "1s"); jitter as in the brain format. */
export interface BundleBackoff {
  initial?: string;
  max?: string;
  multiplier?: number;
  jitter?: "full" | "equal" | "none";
}

/** One model of a route's chain. */
export interface BundleModel {
  /** The brain's id of the model, e.g. "gpt-5-mini". */
  id: string;
  /** The provider's name of the model, sent in direct requests. */
  name: string;
  /** Provider id (a key of {@link Bundle.providers}). */
  provider: string;
  api: "openai" | "anthropic" | "google" | "openai-compatible";
  baseUrl?: EnvValue;
  /** Context window, tokens. */
  contextWindow: number;
  /** Largest completion, tokens. */
  maxOutputTokens?: number;
  /** Prices, USD per million tokens. */
  costPerMTokUsd: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  capabilities?: string[];
}

/** Budget of one scope, USD; `daily` resets at 00:00 UTC, `monthly` on the 1st (UTC). */
export interface BundleBudget {
  dailyUsd?: number;
  monthlyUsd?: number;
  /** Raise a `budget.alert` when spend crosses this percentage of a limit. */
  alertAtPercent?: number;
}

/** How one task class is routed. */
export interface BundleRoute {
  task: string;
  tier?: string;
  /** `chain[0]` is primary, the rest are fallbacks in order. */
  chain: BundleModel[];
  budget?: BundleBudget;
  /** The gateway's model name for this route (e.g. a LiteLLM model group), when the gateway routes it. */
  gatewayModel?: string;
}

/** An agent's effective policy (the merged, tightened policy; tool lists resolved to tool ids). */
export interface BundlePolicy {
  loop?: { maxSteps?: number; maxToolCalls?: number; maxTokens?: number; maxCostUsd?: number; maxDuration?: string; stopAfterNoProgress?: number };
  context?: { compactAtPercent?: number; keepRecentTokens?: number; maxCompactions?: number };
  tools?: {
    allow?: string[];
    deny?: string[];
    requireApproval?: string[];
    exec?: { allowBins?: string[]; denyPatterns?: string[] };
    paths?: { allow?: string[]; deny?: string[]; workspaceOnly?: boolean };
    network?: { allow?: string[]; deny?: string[] };
  };
  checkpoint?: { every?: string; keep?: number };
  retry?: { maxAttempts?: number; backoff?: BundleBackoff };
  restart?: { maxRetries?: number; initialDelay?: string; maxDelay?: string; resetAfter?: string };
  health?: { liveness?: { interval?: string; timeout?: string; unhealthyThreshold?: number } };
}

/** A tool contract. */
export interface BundleTool {
  id: string;
  source?: string;
  description: string;
  /** JSON Schema (draft-07) of the arguments. */
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  risk?: ("read" | "write" | "exec" | "network" | "message" | "credential" | "destructive")[];
  approval?: "never" | "always" | "on-risk";
  timeout?: string;
  implementation: { http?: { method?: string; url: EnvValue } & Record<string, unknown>; mcp?: { server: string; tool: string }; builtin?: Record<string, string> };
}

/** An agent with its routes and effective policy. */
export interface BundleAgent {
  id: string;
  name: string;
  description?: string;
  /** Task class of the agent's own turns. */
  task: string;
  /** Every task class the agent works in, keyed by task class. */
  routes: Record<string, BundleRoute>;
  policy: BundlePolicy;
  /** The tools the agent can call (listed, allowed and not denied). */
  tools: string[];
  budget?: BundleBudget;
  prompts?: { instructions?: string; persona?: string; promptId?: string; personaId?: string };
  [key: string]: unknown;
}

/**
 * How calls through the gateway say which job, task class and agent they belong to: the contract shared
 * with brainc's LiteLLM target (src/emit/correlation.ts, `version` 1; names of the LiteLLM proxy).
 * Defaults when absent: `litellm_session_id`, `metadata.tags`, `metadata.spend_logs_metadata`, tag
 * prefixes `job:`, `task:`, `agent:`, response headers `x-litellm-model-id`, `x-litellm-response-cost`,
 * `x-litellm-attempted-fallbacks`.
 */
export interface BundleCorrelation {
  version?: number;
  /** Request body field holding the job id. */
  sessionField?: string;
  /** Dotted request body path of the tag list, e.g. "metadata.tags". */
  tagsField?: string;
  /** Header alternative to `tagsField` (not sent by the runtime, which uses the body). */
  tagsHeader?: string;
  /** Tag prefixes: `job:<id>`, `task:<task>`, `agent:<agent>`. */
  tagPrefixes?: { job?: string; task?: string; agent?: string };
  /** Dotted request body path of per-call ids recorded with the gateway's spend log. */
  spendLogsMetadataField?: string;
  /** Response headers: the deployment that answered (`<gatewayModel>.<model id>`), the cost in USD, fallbacks tried. */
  responseHeaders?: { modelId?: string; responseCost?: string; attemptedFallbacks?: string };
}

/** The whole bundle (`bundleVersion` 1). */
export interface Bundle {
  bundleVersion: 1;
  contentHash?: string;
  brain: { name: string; description?: string; env?: string; sources?: string[] };
  /** An OpenAI-compatible gateway (e.g. a LiteLLM proxy) the runtime calls instead of the providers. */
  gateway?: { baseUrl: EnvValue; apiKey?: EnvValue };
  correlation?: BundleCorrelation;
  providers: Record<string, { id: string; api: BundleModel["api"]; baseUrl?: EnvValue; apiKey?: EnvValue }>;
  models: Record<string, BundleModel>;
  tasks: Record<string, BundleRoute>;
  defaultRoute: BundleRoute;
  fallback: {
    /** Error classes that trigger retries and the next model. */
    on?: ("rate_limit" | "timeout" | "server_error" | "context_window" | "auth" | "content_filter")[];
    /** Retries on the same model before moving on (attempts = retries + 1). */
    retriesPerModel?: number;
    backoff?: BundleBackoff;
  };
  budgets: {
    global?: BundleBudget;
    onExceeded: "block" | "downgrade";
    agents?: Record<string, BundleBudget>;
    tasks?: Record<string, BundleBudget>;
  };
  tools: Record<string, BundleTool>;
  agents: Record<string, BundleAgent>;
  mcpServers?: Record<string, unknown>;
  memory?: Record<string, unknown>;
}

/** A bundle that failed to load: the file, and one line per problem (JSON pointer and message). */
export class BundleError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n${problems.map((p) => `  ${p}`).join("\n")}` : message);
    this.name = "BundleError";
  }
}

const envRef = { type: "object", required: ["$env"], properties: { $env: { type: "string" }, default: { type: "string" } }, additionalProperties: false };
const envValue = { anyOf: [{ type: "string" }, envRef, { type: "object", required: ["$concat"], properties: { $concat: { type: "array", items: { anyOf: [{ type: "string" }, envRef] } } }, additionalProperties: false }] };
const duration = { type: "string", pattern: "^[0-9]+(ms|s|m|h|d)$" };
const backoff = { type: "object", properties: { initial: duration, max: duration, multiplier: { type: "number", minimum: 1 }, jitter: { enum: ["full", "equal", "none"] } } };
const budget = { type: "object", properties: { dailyUsd: { type: "number", minimum: 0 }, monthlyUsd: { type: "number", minimum: 0 }, alertAtPercent: { type: "number", minimum: 0, maximum: 100 } } };
const stringList = { type: "array", items: { type: "string" } };
const model = {
  type: "object",
  required: ["id", "name", "provider", "api", "contextWindow", "costPerMTokUsd"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    provider: { type: "string" },
    api: { enum: ["openai", "anthropic", "google", "openai-compatible"] },
    baseUrl: envValue,
    contextWindow: { type: "integer", minimum: 1 },
    maxOutputTokens: { type: "integer", minimum: 1 },
    costPerMTokUsd: { type: "object", required: ["input", "output"], properties: { input: { type: "number" }, output: { type: "number" }, cacheRead: { type: "number" }, cacheWrite: { type: "number" } } },
  },
};
const route = { type: "object", required: ["task", "chain"], properties: { task: { type: "string" }, tier: { type: "string" }, chain: { type: "array", minItems: 1, items: model }, budget, gatewayModel: { type: "string" } } };
const policy = {
  type: "object",
  properties: {
    loop: { type: "object", properties: { maxSteps: { type: "integer" }, maxToolCalls: { type: "integer" }, maxTokens: { type: "integer" }, maxCostUsd: { type: "number" }, maxDuration: duration, stopAfterNoProgress: { type: "integer" } } },
    context: { type: "object", properties: { compactAtPercent: { type: "number" }, keepRecentTokens: { type: "integer" }, maxCompactions: { type: "integer" } } },
    tools: {
      type: "object",
      properties: {
        allow: stringList,
        deny: stringList,
        requireApproval: stringList,
        exec: { type: "object", properties: { allowBins: stringList, denyPatterns: stringList } },
        paths: { type: "object", properties: { allow: stringList, deny: stringList, workspaceOnly: { type: "boolean" } } },
        network: { type: "object", properties: { allow: stringList, deny: stringList } },
      },
    },
    checkpoint: { type: "object", properties: { every: { type: "string" }, keep: { type: "integer" } } },
  },
};

/** JSON Schema (draft-07) of the parts of the bundle the runtime relies on; other keys pass through. */
export const BUNDLE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["bundleVersion", "brain", "providers", "models", "tasks", "defaultRoute", "fallback", "budgets", "tools", "agents"],
  properties: {
    bundleVersion: { const: 1 },
    brain: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
    gateway: { type: "object", required: ["baseUrl"], properties: { baseUrl: envValue, apiKey: envValue } },
    correlation: {
      type: "object",
      properties: {
        sessionField: { type: "string" },
        tagsField: { type: "string" },
        spendLogsMetadataField: { type: "string" },
        tagPrefixes: { type: "object", additionalProperties: { type: "string" } },
        responseHeaders: { type: "object", additionalProperties: { type: "string" } },
      },
    },
    providers: { type: "object", additionalProperties: { type: "object", required: ["id", "api"], properties: { id: { type: "string" }, baseUrl: envValue, apiKey: envValue } } },
    models: { type: "object", additionalProperties: model },
    tasks: { type: "object", additionalProperties: route },
    defaultRoute: route,
    fallback: {
      type: "object",
      properties: { on: { type: "array", items: { enum: ["rate_limit", "timeout", "server_error", "context_window", "auth", "content_filter"] } }, retriesPerModel: { type: "integer", minimum: 0 }, backoff },
    },
    budgets: {
      type: "object",
      required: ["onExceeded"],
      properties: { global: budget, onExceeded: { enum: ["block", "downgrade"] }, agents: { type: "object", additionalProperties: budget }, tasks: { type: "object", additionalProperties: budget } },
    },
    tools: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["id", "description", "input", "implementation"],
        properties: { id: { type: "string" }, input: { type: "object" }, risk: stringList, approval: { enum: ["never", "always", "on-risk"] }, timeout: duration, implementation: { type: "object" } },
      },
    },
    agents: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["id", "name", "task", "routes", "policy", "tools"],
        properties: { id: { type: "string" }, name: { type: "string" }, task: { type: "string" }, routes: { type: "object", additionalProperties: route }, policy, tools: stringList, budget },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;
function validate(value: unknown): ErrorObject[] {
  if (!validator) {
    // ajv is CommonJS; createRequire keeps this synchronous under NodeNext.
    const require = createRequire(import.meta.url);
    const { Ajv } = require("ajv") as typeof import("ajv");
    validator = new Ajv({ allErrors: true, strict: false }).compile(BUNDLE_SCHEMA);
  }
  return validator(value) ? [] : (validator.errors ?? []);
}

/**
 * Loads a bundle from a file path (bundle.json) or takes a parsed object, and checks it against
 * {@link BUNDLE_SCHEMA} and its cross references (agent tools exist; chains name known providers).
 * @throws {BundleError} with one line per problem (JSON pointer, message) when the bundle is invalid or
 *   unreadable.
 */
export function loadBundle(source: string | object): Bundle {
  let value: unknown = source;
  if (typeof source === "string") {
    let text: string;
    try {
      text = readFileSync(source, "utf8");
    } catch (e) {
      throw new BundleError(`cannot read bundle ${source}: ${(e as Error).message}`);
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new BundleError(`bundle ${source} is not JSON: ${(e as Error).message}`);
    }
  }
  const name = typeof source === "string" ? source : "bundle";
  const errors = validate(value);
  if (errors.length) throw new BundleError(`${name} is not a valid supervisor bundle (bundleVersion 1)`, errors.map((e) => `${e.instancePath || "/"}: ${e.message}`));
  const bundle = value as Bundle;
  const problems: string[] = [];
  for (const agent of Object.values(bundle.agents)) {
    for (const tool of agent.tools) if (!bundle.tools[tool]) problems.push(`/agents/${agent.id}/tools: unknown tool "${tool}"`);
    if (!agent.routes[agent.task]) problems.push(`/agents/${agent.id}/routes: no route for the agent's task "${agent.task}"`);
  }
  if (problems.length) throw new BundleError(`${name} is not a valid supervisor bundle`, problems);
  return bundle;
}

/** Environment variables, as `process.env`. */
export type Env = Record<string, string | undefined>;

/**
 * Resolves an {@link EnvValue} against `env`. A default applies when the variable is unset or empty, as the
 * shell's `${NAME:-default}` does. Returns undefined when a reference without default is unset.
 */
export function resolveEnv(value: EnvValue | undefined, env: Env): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if ("$env" in value) {
    const set = env[value.$env];
    return set === undefined || (set === "" && value.default !== undefined) ? value.default : set;
  }
  let out = "";
  for (const part of value.$concat) {
    const s = resolveEnv(part, env);
    if (s === undefined) return undefined;
    out += s;
  }
  return out;
}

/** The env names an {@link EnvValue} references (for error messages). */
export function envNamesOf(value: EnvValue | undefined): string[] {
  if (value === undefined || typeof value === "string") return [];
  if ("$env" in value) return [value.$env];
  return value.$concat.flatMap((p) => envNamesOf(p));
}
