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

/** The full OpenClaw model ref (`provider/model`) of a brain model: via the gateway, or direct. */
export function modelRef(brain: Brain, model: Model): string {
  return brain.gateway ? `${GATEWAY_PROVIDER}/${model.id}` : `${model.provider.id}/${model.name}`;
}

/** `{primary, fallbacks}` of a route (an explicit, possibly empty, fallback list opts in to failover). */
export function routeModel(brain: Brain, route: Route): { primary: string; fallbacks: string[] } {
  const [primary, ...fallbacks] = route.chain.map((m) => modelRef(brain, m));
  return { primary, fallbacks };
}

/** Every model some route of the brain can use, by brain id, sorted. */
export function routedModels(brain: Brain): Model[] {
  const seen = new Map<string, Model>();
  for (const route of [brain.defaultRoute, ...Object.values(brain.tasks)]) for (const m of route.chain) seen.set(m.id, m);
  return [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One `models.providers.*.models[]` row (OpenClaw 2026.9; costs USD per million tokens, windows in tokens). */
function catalogRow(model: Model, id: string) {
  const input = ["text", ...(model.capabilities.includes("vision") ? ["image"] : []), ...(model.capabilities.includes("audio") ? ["audio"] : [])];
  const c = model.costPerMTokUsd;
  return {
    id,
    name: model.id,
    reasoning: model.capabilities.includes("reasoning"),
    input,
    cost: c && { input: c.input, output: c.output, cacheRead: c.cacheRead ?? 0, cacheWrite: c.cacheWrite ?? 0 },
    contextWindow: model.contextWindow,
    maxTokens: model.maxOutputTokens,
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
 * (exposing each routed model under its brain id, as the litellm target names its model groups), or each
 * brain provider with its API adapter, base URL, key and models.
 */
export function providers(brain: Brain, env: EnvRenderer): Record<string, ProviderEntry> {
  if (brain.gateway) {
    return {
      [GATEWAY_PROVIDER]: {
        api: "openai-completions",
        baseUrl: env.text(brain.gateway.baseUrl),
        apiKey: brain.gateway.apiKey === undefined ? undefined : env.secret(brain.gateway.apiKey),
        models: routedModels(brain).map((m) => catalogRow(m, m.id)),
      },
    };
  }
  const out: Record<string, ProviderEntry> = {};
  for (const p of Object.values(brain.providers)) {
    const models = Object.values(brain.models).filter((m) => m.provider.id === p.id);
    const baseUrl = p.baseUrl ?? API[p.api].baseUrl;
    out[p.id] = {
      api: API[p.api].api,
      baseUrl: baseUrl === undefined ? undefined : env.text(baseUrl),
      apiKey: p.apiKey === undefined ? undefined : env.secret(p.apiKey),
      headers: p.headers && Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k, env.secret(v)])),
      models: models.map((m) => catalogRow(m, m.name)),
    };
  }
  return out;
}
