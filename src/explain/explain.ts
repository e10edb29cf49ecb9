import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Agent, Brain, Budget, Model, Route } from "../link/model.js";
import { policyLeaves } from "../link/policy.js";

/** One model of a chain, as `brainc explain` shows it. */
export interface ChainModel {
  /** The brain's model id (models.yaml key). */
  id: string;
  provider: string;
  /** The provider's own model name. */
  name: string;
  /** Tokens. */
  contextWindow: number;
  /** Tokens. */
  maxOutputTokens?: number;
  /** USD per million tokens. */
  costPerMTokUsd: Model["costPerMTokUsd"];
}

/** `brainc explain route <task>`: how a task class is routed and which budgets apply. */
export interface RouteExplanation {
  task: string;
  description?: string;
  /** The tier the chain comes from; absent for an explicit `models:` chain. */
  tier?: string;
  /** chain[0] is primary, the rest fallbacks in order. */
  chain: ChainModel[];
  fallback: Brain["fallback"];
  budgets: {
    /** routing.yaml budgets.tasks.<task>, USD. */
    task?: Budget;
    /** routing.yaml budgets.global, USD. */
    global?: Budget;
    onExceeded: Brain["budgets"]["onExceeded"];
    /** The agents whose turns, schedules or heartbeat run on this task class, with their own budgets (USD). */
    agents: { id: string; uses: string[]; budget?: Budget }[];
  };
}

const chainOf = (route: Route): ChainModel[] =>
  route.chain.map((m) => ({ id: m.id, provider: m.provider.id, name: m.name, contextWindow: m.contextWindow, ...(m.maxOutputTokens !== undefined && { maxOutputTokens: m.maxOutputTokens }), costPerMTokUsd: m.costPerMTokUsd }));

/** The route of a task class ("default": routing.yaml `default`), or undefined when the brain does not declare it. */
export function routeOf(brain: Brain, task: string): Route | undefined {
  return task === "default" ? brain.defaultRoute : Object.hasOwn(brain.tasks, task) ? brain.tasks[task] : undefined;
}

/** What `brainc explain route` prints, for a task class the brain declares (see {@link routeOf}). */
export function explainRoute(brain: Brain, route: Route): RouteExplanation {
  const agents: RouteExplanation["budgets"]["agents"] = [];
  for (const agent of Object.values(brain.agents)) {
    const uses: string[] = [];
    if (agent.route.task === route.task) uses.push("its own turns");
    agent.schedules.forEach((s) => s.route.task === route.task && uses.push(`schedule ${"every" in s && s.every ? `every ${s.every}` : `cron ${(s as { cron?: string }).cron}`}`));
    if (agent.heartbeat?.route.task === route.task) uses.push(`heartbeat every ${agent.heartbeat.every}`);
    if (uses.length) agents.push({ id: agent.id, uses, ...(agent.budget && { budget: agent.budget }) });
  }
  return {
    task: route.task,
    ...(route.description !== undefined && { description: route.description }),
    ...(route.tier !== undefined && { tier: route.tier }),
    chain: chainOf(route),
    fallback: brain.fallback,
    budgets: { ...(route.budget && { task: route.budget }), ...(brain.budgets.global && { global: brain.budgets.global }), onExceeded: brain.budgets.onExceeded, agents },
  };
}

/** `brainc explain agent <id>`: the agent as the targets see it, with where each policy value comes from. */
export interface AgentExplanation {
  id: string;
  name: string;
  source: string;
  description?: string;
  task: string;
  chain: ChainModel[];
  prompt: string;
  persona?: string;
  tools: { id: string; risk: string[]; approval?: string }[];
  memory: { id: string; scope: string }[];
  /** The policies merged, in order (brain.yaml defaults first). */
  policies: string[];
  /**
   * Each effective policy value by dotted path, with the files that set it, and the values other merged
   * policies give that field which the merge did not keep (`notUsed`: a looser limit, an earlier setting).
   */
  policy: { path: string; value: unknown; setBy: string[]; notUsed?: { policy: string; value: unknown }[] }[];
  schedules: { when: string; task: string; chain: string[]; message?: string }[];
  heartbeat?: { every: string; task: string; chain: string[] };
  channels: Agent["channels"];
  /** routing.yaml budgets.agents.<id>, USD. */
  budget?: Budget;
  /**
   * Per target, what it cannot express for this agent (its BRN509 infos), where its runtime would reject
   * the output (BRN511) or run the agent differently (BRN512).
   */
  targetLimits: { target: string; code: string; severity: Diagnostic["severity"]; message: string; hint?: string }[];
}

/**
 * Whether a target's diagnostic is about this agent: it points into the agent's file, or its message
 * names the agent id (quoted or as a whole word).
 */
export function concernsAgent(d: Diagnostic, agent: Agent): boolean {
  if (d.file === agent.source) return true;
  const id = agent.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_-])${id}([^A-Za-z0-9_-]|$)`).test(d.message);
}

/**
 * The values that the agent's other policies give a (non-list) effective field and that merging did not
 * keep: a looser limit (merging only tightens), or a setting a later policy replaced.
 */
function valuesNotUsed(brain: Brain, agent: Agent, path: string, effective: unknown): { policy: string; value: unknown }[] {
  const out: { policy: string; value: unknown }[] = [];
  for (const id of agent.policies) {
    const policy = brain.policies[id];
    if (!policy) continue;
    const found = policyLeaves(policy).find(([p]) => p === path);
    if (found && JSON.stringify(found[1]) !== JSON.stringify(effective)) out.push({ policy: id, value: found[1] });
  }
  return out;
}

/** The target diagnostics `explain agent` shows: what a target cannot express, would have rejected, or runs differently. */
const TARGET_LIMIT_CODES = new Set(["BRN509", "BRN511", "BRN512"]);

/** What `brainc explain agent` prints. `limits`: each target's diagnostics for the whole brain (only {@link TARGET_LIMIT_CODES} about this agent are kept). */
export function explainAgent(brain: Brain, agent: Agent, limits: { target: string; diagnostics: Diagnostic[] }[] = []): AgentExplanation {
  const ids = (route: Route) => route.chain.map((m) => m.id);
  return {
    id: agent.id,
    name: agent.name,
    source: agent.source,
    ...(agent.description !== undefined && { description: agent.description }),
    task: agent.route.task,
    chain: chainOf(agent.route),
    prompt: agent.prompt.id,
    ...(agent.persona && { persona: agent.persona.id }),
    tools: agent.tools.map((t) => ({ id: t.id, risk: [...(t.risk ?? [])], ...(t.approval !== undefined && { approval: t.approval }) })),
    memory: agent.memory.map((m) => ({ id: m.id, scope: m.scope })),
    policies: [...agent.policies],
    policy: policyLeaves(agent.policy).map(([path, value]) => {
      const notUsed = Array.isArray(value) ? [] : valuesNotUsed(brain, agent, path, value);
      return { path, value, setBy: [...(agent.provenance[path] ?? [])], ...(notUsed.length && { notUsed }) };
    }),
    schedules: agent.schedules.map((s) => {
      const { route, task: _task, message, ...when } = s as typeof s & { message?: string };
      return { when: Object.entries(when).map(([k, v]) => `${k} ${v}`).join(", "), task: route.task, chain: ids(route), ...(message !== undefined && { message }) };
    }),
    ...(agent.heartbeat && { heartbeat: { every: agent.heartbeat.every, task: agent.heartbeat.route.task, chain: ids(agent.heartbeat.route) } }),
    channels: agent.channels,
    ...(agent.budget && { budget: agent.budget }),
    targetLimits: limits.flatMap(({ target, diagnostics }) =>
      diagnostics.filter((d) => TARGET_LIMIT_CODES.has(d.code) && concernsAgent(d, agent)).map((d) => ({ target, code: d.code, severity: d.severity, message: d.message, ...(d.hint !== undefined && { hint: d.hint }) })),
    ),
  };
}

// ---------------------------------------------------------------- text

const usd = (n: number) => `$${Number(n.toFixed(4))}`;
const value = (v: unknown) => (typeof v === "string" ? v : Array.isArray(v) ? `[${v.join(", ")}]` : JSON.stringify(v));

function budgetText(b: Budget): string {
  const parts: string[] = [];
  if (b.dailyUsd !== undefined) parts.push(`${usd(b.dailyUsd)} a day`);
  if (b.monthlyUsd !== undefined) parts.push(`${usd(b.monthlyUsd)} a month`);
  if (b.alertAtPercent !== undefined) parts.push(`alert at ${b.alertAtPercent} %`);
  return parts.join(", ");
}

function chainText(chain: ChainModel[]): string[] {
  return chain.map((m, i) => {
    const price = `${usd(m.costPerMTokUsd.input)} input / ${usd(m.costPerMTokUsd.output)} output per MTok`;
    const tokens = `context ${m.contextWindow} tokens${m.maxOutputTokens !== undefined ? `, max output ${m.maxOutputTokens} tokens` : ""}`;
    return `  ${i + 1}. ${m.id} (${m.provider}/${m.name}, ${i === 0 ? "primary" : "fallback"}): ${tokens}; ${price}`;
  });
}

/** The text form of {@link explainRoute}, ending in a newline. */
export function routeText(r: RouteExplanation): string {
  const f = r.fallback;
  const lines = [`task ${r.task}${r.description ? `: ${r.description}` : ""}`, `  ${r.tier ? `tier ${r.tier}` : "explicit model chain"}`, "chain:", ...chainText(r.chain)];
  const backoff = f.backoff ? `; backoff ${f.backoff.initial ?? "?"} up to ${f.backoff.max ?? "?"}${f.backoff.multiplier ? ` ×${f.backoff.multiplier}` : ""}${f.backoff.jitter ? `, jitter ${f.backoff.jitter}` : ""}` : "";
  lines.push(`fallback: on ${(f.on ?? []).join(", ") || "(none)"}${f.retriesPerModel !== undefined ? `; ${f.retriesPerModel} retr${f.retriesPerModel === 1 ? "y" : "ies"} per model` : ""}${backoff}`);
  lines.push("budgets:");
  if (r.budgets.task) lines.push(`  task ${r.task}: ${budgetText(r.budgets.task)}`);
  for (const a of r.budgets.agents) lines.push(`  agent ${a.id} (${a.uses.join(", ")}): ${a.budget ? budgetText(a.budget) : "no budget of its own"}`);
  if (r.budgets.global) lines.push(`  global: ${budgetText(r.budgets.global)}`);
  lines.push(`  when a budget is exceeded: ${r.budgets.onExceeded}`);
  return lines.join("\n") + "\n";
}

/** The text form of {@link explainAgent}, ending in a newline. */
export function agentText(a: AgentExplanation): string {
  const lines = [`agent ${a.id}: ${a.name} (${a.source})`];
  if (a.description) lines.push(`  ${a.description}`);
  lines.push(`task ${a.task}; chain:`, ...chainText(a.chain));
  lines.push(`prompt: ${a.prompt}${a.persona ? `; persona: ${a.persona}` : ""}`);
  lines.push(`tools: ${a.tools.map((t) => `${t.id}${t.risk.length ? ` [${t.risk.join(", ")}]` : ""}${t.approval && t.approval !== "never" ? ` (approval ${t.approval})` : ""}`).join(", ") || "(none)"}`);
  lines.push(`memory: ${a.memory.map((m) => `${m.id} (${m.scope})`).join(", ") || "(none)"}`);
  lines.push(`effective policy (merged from ${a.policies.join(", ") || "no policies"}):`);
  for (const p of a.policy) {
    const notUsed = p.notUsed?.length ? `    (not used: ${p.notUsed.map((n) => `${n.policy} ${value(n.value)}`).join(", ")})` : "";
    lines.push(`  ${p.path} = ${value(p.value)}    ← ${p.setBy.join(", ") || "(default)"}${notUsed}`);
  }
  lines.push(`schedules:${a.schedules.length ? "" : " (none)"}`);
  for (const s of a.schedules) lines.push(`  ${s.when}: task ${s.task} → ${s.chain.join(" → ")}${s.message ? ` "${s.message}"` : ""}`);
  if (a.heartbeat) lines.push(`heartbeat: every ${a.heartbeat.every}, task ${a.heartbeat.task} → ${a.heartbeat.chain.join(" → ")}`);
  lines.push(`channels: ${a.channels.map((c) => value(Object.values(c).filter((v) => typeof v === "string").slice(0, 2).join(" "))).join(", ") || "(none)"}`);
  lines.push(`budget: ${a.budget ? budgetText(a.budget) : "(none of its own)"}`);
  lines.push(`what the targets cannot express:${a.targetLimits.length ? "" : " nothing reported"}`);
  // n8n's messages start with "n8n: " already (they are build diagnostics too)
  for (const l of a.targetLimits) {
    const level = l.severity === "info" ? "" : `${l.severity} ${l.code}: `;
    lines.push(`  ${l.target}: ${level}${l.message.startsWith(`${l.target}: `) ? l.message.slice(l.target.length + 2) : l.message}${l.hint ? ` (${l.hint})` : ""}`);
  }
  return lines.join("\n") + "\n";
}
