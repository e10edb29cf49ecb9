import { gatewayModel, modelGroups } from "../../src/emit/correlation.js";
import type { Brain, Model, Route } from "../../src/link/model.js";
import type { EnvRenderer, EnvSecretRef } from "./env.js";

/** The id of the one OpenAI-compatible provider that stands for brain.yaml `gateway` in openclaw.json. */
export const GATEWAY_PROVIDER = "gateway";

/**
 * OpenClaw 2026.9 `models.providers.*.api` and default `baseUrl` for each brain provider `api`
 * (docs/gateway/config-tools/custom-providers.md of openclaw@2026.9.6).
 */
const API: Record<string, { api: string; baseUrl?: string }> = {
  openai: { api: "openai-responses", baseUrl: "https://api.openai.com/v1" },
  anthropic: { api: "anthropic-messages", baseUrl: "https://api.anthropic.com" },
  google: { api: "google-generative-ai", baseUrl: "https://generativelanguage.googleapis.com/v1beta" },
  "openai-compatible": { api: "openai-completions" },
};

/** The full OpenClaw model ref (`provider/model`) of a brain model called directly. */
export function modelRef(model: Model): string {
  return `${model.provider.id}/${model.name}`;
}

/**
 * `{primary, fallbacks}` of a route. Direct: the chain's models in order (an explicit, possibly empty,
 * fallback list opts in to OpenClaw's failover). Via the gateway: its model group for the route
 * (`<brain>-<tier>` or `<brain>-task-<task>`, src/emit/correlation.ts), with no fallbacks: the gateway
 * falls back inside the group.
 */
export function routeModel(brain: Brain, route: Route): { primary: string; fallbacks: string[] } {
  if (brain.gateway) return { primary: `${GATEWAY_PROVIDER}/${gatewayModel(brain.name, route)}`, fallbacks: [] };
  const [primary, ...fallbacks] = route.chain.map(modelRef);
  return { primary, fallbacks };
}

/** The gateway's model groups (src/emit/correlation.ts `modelGroups`) that some route of the brain uses, by group name, sorted. */
export function gatewayGroups(brain: Brain): [string, Model[]][] {
  const used = new Set([brain.defaultRoute, ...Object.values(brain.tasks)].map((route) => gatewayModel(brain.name, route)));
  const groups = new Map(modelGroups(brain).groups.filter((g) => used.has(g.name)).map((g): [string, Model[]] => [g.name, g.chain]));
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One `models.providers.*.models[]` row (OpenClaw 2026.9; costs USD per million tokens, windows in
 * tokens) for a model, or for a gateway model group served by `models` in order: what every model of the
 * group can do (shared capabilities, smallest windows), priced as its primary.
 */
function catalogRow(id: string, name: string, models: Model[]) {
  const every = (capability: string) => models.every((m) => m.capabilities.includes(capability));
  const input = ["text", ...(every("vision") ? ["image"] : []), ...(every("audio") ? ["audio"] : [])];
  const c = models[0].costPerMTokUsd;
  const maxTokens = models.map((m) => m.maxOutputTokens).filter((n): n is number => n !== undefined);
  return {
    id,
    name,
    reasoning: every("reasoning"),
    input,
    cost: { input: c.input, output: c.output, cacheRead: c.cacheRead ?? 0, cacheWrite: c.cacheWrite ?? 0 },
    contextWindow: Math.min(...models.map((m) => m.contextWindow)),
    maxTokens: maxTokens.length === models.length ? Math.min(...maxTokens) : undefined,
  };
}

interface ProviderEntry {
  api: string;
  baseUrl?: string;
  apiKey?: EnvSecretRef | string;
  headers?: Record<string, EnvSecretRef | string>;
  models: ReturnType<typeof catalogRow>[];
}

/**
 * `models.providers` of openclaw.json: one OpenAI-compatible provider pointing at brain.yaml `gateway`
 * (exposing the model groups the brain routes to, named as the litellm target names them), or each
 * brain provider with its API adapter, base URL, key and models.
 */
export function providers(brain: Brain, env: EnvRenderer): Record<string, ProviderEntry> {
  if (brain.gateway) {
    return {
      [GATEWAY_PROVIDER]: {
        api: "openai-completions",
        baseUrl: env.text(brain.gateway.baseUrl, "brain.yaml"),
        apiKey: brain.gateway.apiKey === undefined ? undefined : env.secret(brain.gateway.apiKey, "brain.yaml"),
        models: gatewayGroups(brain).map(([group, chain]) => catalogRow(group, group, chain)),
      },
    };
  }
  const out: Record<string, ProviderEntry> = {};
  for (const p of Object.values(brain.providers)) {
    const models = Object.values(brain.models).filter((m) => m.provider.id === p.id);
    const baseUrl = p.baseUrl ?? API[p.api].baseUrl;
    out[p.id] = {
      api: API[p.api].api,
      baseUrl: baseUrl === undefined ? undefined : env.text(baseUrl, "models.yaml"),
      apiKey: p.apiKey === undefined ? undefined : env.secret(p.apiKey, "models.yaml"),
      headers: p.headers && Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k, env.secret(v, "models.yaml")])),
      models: models.map((m) => catalogRow(m.name, m.id, [m])),
    };
  }
  return out;
}
