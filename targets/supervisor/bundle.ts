import { sha256Hex, sortedJson, sortKeys, withMember } from "../../src/emit/canonical.js";
import { CORRELATION, gatewayModel } from "../../src/emit/correlation.js";
import { envSegments } from "../../src/emit/env-refs.js";
import type { Agent, Brain, Model, Route } from "../../src/link/model.js";
import type { Bundle, EnvValue } from "../../src/runtime/bundle.js";

/** Version of the bundle format; bumped on any incompatible change. */
export const BUNDLE_VERSION = 1;

/**
 * A string as the bundle keeps it: unchanged, or its `${env:…}` references as {@link EnvValue} objects
 * (`{"$env": "NAME"}`, optionally with `default`; text mixed with references as `{"$concat": [...]}`).
 * The runtime resolves them; brainc never does.
 */
export function envValue(text: string): EnvValue {
  if (!text.includes("${env:")) return text;
  const segments = envSegments(text).map((s) => ("env" in s ? (s.default !== undefined ? { $env: s.env, default: s.default } : { $env: s.env }) : s.text));
  if (segments.length === 1) return segments[0];
  return { $concat: segments };
}

function modelEntry(m: Model) {
  return {
    id: m.id,
    name: m.name,
    provider: m.provider.id,
    api: m.provider.api,
    baseUrl: m.provider.baseUrl,
    contextWindow: m.contextWindow,
    maxOutputTokens: m.maxOutputTokens,
    costPerMTokUsd: m.costPerMTokUsd,
    capabilities: m.capabilities,
  };
}

/** `gatewayModel`: the LiteLLM model group serving the route (src/emit/correlation.ts), for calls through the gateway. */
function routeEntry(brain: Brain, r: Route) {
  return { task: r.task, tier: r.tier, chain: r.chain.map(modelEntry), budget: r.budget, gatewayModel: gatewayModel(brain.name, r) };
}

/** The task classes an agent works in: its own, its schedules' and its heartbeat's. */
export function agentTasks(agent: Agent): Route[] {
  const routes = new Map<string, Route>([[agent.route.task, agent.route]]);
  for (const s of agent.schedules) routes.set(s.route.task, s.route);
  if (agent.heartbeat) routes.set(agent.heartbeat.route.task, agent.heartbeat.route);
  return [...routes.values()];
}

function agentEntry(brain: Brain, agent: Agent) {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    identity: agent.identity,
    source: agent.source,
    task: agent.route.task,
    routes: Object.fromEntries(agentTasks(agent).map((r) => [r.task, routeEntry(brain, r)])),
    prompts: { instructions: agent.instructions, persona: agent.personaText, promptId: agent.prompt.id, personaId: agent.persona?.id },
    policies: agent.policies,
    policy: agent.policy,
    provenance: agent.provenance,
    tools: agent.tools.map((t) => t.id),
    memory: agent.memory.map((m) => m.id),
    schedules: agent.schedules.map(({ route, ...s }) => ({ ...s, task: route.task })),
    heartbeat: agent.heartbeat && (({ route, ...h }) => ({ ...h, task: route.task }))(agent.heartbeat),
    channels: agent.channels,
    budget: agent.budget,
  };
}

/**
 * The text of bundle.json (canonical JSON): everything brainc's runtime supervisor needs to route, budget,
 * guard and record jobs, with env references kept as references. `contentHash` is the sha256 of the
 * canonical JSON of the bundle without it.
 */
export function buildBundle(brain: Brain): string {
  // Typed as the runtime reads it (src/runtime/bundle.ts), so that the compiler keeps producer and reader in step.
  const content: Omit<Bundle, "contentHash"> = {
    bundleVersion: BUNDLE_VERSION,
    brain: { name: brain.name, description: brain.description, env: brain.env, sources: brain.sources },
    gateway: brain.gateway,
    correlation: CORRELATION,
    mcpServers: brain.mcpServers,
    providers: brain.providers,
    models: Object.fromEntries(Object.values(brain.models).map((m) => [m.id, modelEntry(m)])),
    tasks: Object.fromEntries(Object.values(brain.tasks).map((r) => [r.task, routeEntry(brain, r)])),
    defaultRoute: routeEntry(brain, brain.defaultRoute),
    fallback: brain.fallback,
    budgets: {
      global: brain.budgets.global,
      onExceeded: brain.budgets.onExceeded,
      agents: Object.fromEntries(Object.values(brain.agents).flatMap((a) => (a.budget ? [[a.id, a.budget]] : []))),
      tasks: Object.fromEntries(Object.values(brain.tasks).flatMap((r) => (r.budget ? [[r.task, r.budget]] : []))),
    },
    tools: Object.fromEntries(Object.values(brain.tools).map(({ id, source, ...t }) => [id, { id, source, ...t }])),
    memory: brain.memory,
    agents: Object.fromEntries(Object.values(brain.agents).map((a) => [a.id, agentEntry(brain, a)])),
  };
  const body = sortKeys(content, envValue) as Record<string, unknown>;
  // `body` is in canonical order already: the hash is over its text, and contentHash joins it at the top level.
  const text = sortedJson(body);
  return withMember(text, "contentHash", sha256Hex(text));
}
