import { createTwoFilesPatch, structuredPatch } from "diff";
import type { Agent, Brain, Model, Route } from "../link/model.js";
import type { TargetOutput } from "../emit/run.js";

/** One side of a diff: the linked brain of each environment and the files every target produced. */
export interface BuildSnapshot {
  /** By env name ("default" for the base brain). */
  brains: Record<string, Brain>;
  outputs: TargetOutput[];
}

/** A value that differs: a dotted path into the entity ("policy.loop.maxSteps"), before and after (absent: not set). */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Entities (agents, tools, policies, models, …) added, removed and changed, by id (sorted). */
export interface EntityChanges {
  added: string[];
  removed: string[];
  changed: { id: string; fields: FieldChange[] }[];
}

/** Prices of a route's primary model, USD per million tokens. */
export interface RouteCost {
  input: number;
  output: number;
}

/** One side of a route: its model chain, the tier it comes from (absent: an explicit `models:` chain), the primary model's prices and the task budget. */
export interface RouteSide {
  chain: string[];
  tier?: string;
  costPerMTokUsd?: RouteCost;
  budget?: Route["budget"];
}

/** How one task class is routed before and after (absent side: the task class did not exist). */
export interface RouteChange {
  /** The task class; "default" for routing.yaml `default` (work that names no task class). */
  task: string;
  before?: RouteSide;
  after?: RouteSide;
  /** after − before of the primary model's prices, USD per million tokens, when both sides exist. */
  costDeltaPerMTokUsd?: RouteCost;
}

/** A rendered prompt of an agent that changed, as a unified diff (jsdiff's createTwoFilesPatch). */
export interface PromptChange {
  agent: string;
  /** "instructions" (the agent's prompt) or "persona". */
  part: "instructions" | "persona";
  /** Unified diff, headers `a/<agent>/<part>` and `b/<agent>/<part>`. */
  patch: string;
}

/** What changed in one environment of the brain. */
export interface EnvDiff {
  env: string;
  /** "added" / "removed" when the environment (overlay) exists on one side only. */
  status: "added" | "removed" | "changed" | "unchanged";
  /** Set when the changes are exactly those of this earlier environment (usually "default"); formatters print a reference instead. */
  sameAs?: string;
  routing: RouteChange[];
  /** Brain-wide values ({@link SETTINGS}) by dotted path, e.g. "budgets.global.dailyUsd", "fallback.retriesPerModel". */
  settings: FieldChange[];
  agents: EntityChanges;
  tools: EntityChanges;
  /** brain.yaml `mcpServers`. */
  mcpServers: EntityChanges;
  policies: EntityChanges;
  memory: EntityChanges;
  models: EntityChanges;
  providers: EntityChanges;
  /** models.yaml `tiers`: each tier's model chain (field `chain`). */
  tiers: EntityChanges;
  prompts: PromptChange[];
}

/** The groups of entities of an {@link EnvDiff}. */
export const ENTITY_GROUPS = ["agents", "tools", "mcpServers", "policies", "memory", "models", "providers", "tiers"] as const;
export type EntityGroup = (typeof ENTITY_GROUPS)[number];

/**
 * The brain-wide parts of a Brain compared field by field as an EnvDiff's `settings`. The other parts are
 * compared as routing (tasks, defaultRoute), entity groups ({@link ENTITY_GROUPS}) and rendered prompts
 * (agents' instructions and persona text, which is where prompts and partials reach a runtime); formatVersion,
 * env and sources are not compared (a constant, the environment's name, the source file names).
 */
export const SETTINGS = ["name", "description", "gateway", "fallback", "budgets", "targetOptions"] as const satisfies readonly (keyof Brain)[];

/** Output files of one target (paths relative to the output root, e.g. "prod/openclaw/openclaw.json"), sorted. */
export interface FileChanges {
  target: string;
  added: string[];
  removed: string[];
  changed: { path: string; linesAdded: number; linesRemoved: number }[];
}

/** The semantic difference of two builds of a brain (`brainc diff`). */
export interface BrainDiff {
  envs: EnvDiff[];
  files: FileChanges[];
  /** Whether anything at all differs. */
  changed: boolean;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function routeSide(route: Route): RouteSide {
  const primary: Model | undefined = route.chain[0];
  return {
    chain: route.chain.map((m) => m.id),
    ...(route.tier !== undefined && { tier: route.tier }),
    ...(primary && { costPerMTokUsd: { input: primary.costPerMTokUsd.input, output: primary.costPerMTokUsd.output } }),
    ...(route.budget && { budget: route.budget }),
  };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function diffRouting(before: Brain | undefined, after: Brain | undefined): RouteChange[] {
  const routes = (b: Brain | undefined): Record<string, Route> => (b ? { default: b.defaultRoute, ...b.tasks } : {});
  const a = routes(before);
  const b = routes(after);
  const out: RouteChange[] = [];
  for (const task of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byId)) {
    const x = a[task] && routeSide(a[task]);
    const y = b[task] && routeSide(b[task]);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const change: RouteChange = { task, ...(x && { before: x }), ...(y && { after: y }) };
    if (x?.costPerMTokUsd && y?.costPerMTokUsd) {
      change.costDeltaPerMTokUsd = { input: round(y.costPerMTokUsd.input - x.costPerMTokUsd.input), output: round(y.costPerMTokUsd.output - x.costPerMTokUsd.output) };
    }
    out.push(change);
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The leaves of a JSON value by dotted path; lists of mappings are walked by index, other lists are leaves. */
function leaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  const entries = isRecord(value) ? Object.entries(value) : Array.isArray(value) && value.length && value.every(isRecord) ? value.map((v, i) => [String(i), v] as const) : undefined;
  if (entries) {
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
  return out;
}

/** The field-level changes between two plain JSON values. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = leaves(JSON.parse(JSON.stringify(before ?? {})));
  const b = leaves(JSON.parse(JSON.stringify(after ?? {})));
  const out: FieldChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort(byId)) {
    if (JSON.stringify(a.get(path)) === JSON.stringify(b.get(path))) continue;
    out.push({ path, ...(a.has(path) && { before: a.get(path) }), ...(b.has(path) && { after: b.get(path) }) });
  }
  return out;
}

function diffEntities<T>(before: Record<string, T> | undefined, after: Record<string, T> | undefined, project: (x: T) => unknown): EntityChanges {
  const a = before ?? {};
  const b = after ?? {};
  const changes: EntityChanges = { added: [], removed: [], changed: [] };
  for (const id of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byId)) {
    if (!(id in a)) changes.added.push(id);
    else if (!(id in b)) changes.removed.push(id);
    else {
      const fields = diffFields(project(a[id]), project(b[id]));
      if (fields.length) changes.changed.push({ id, fields });
    }
  }
  return changes;
}

const chainOf = (route: Route) => route.chain.map((m) => m.id);

/** What a reviewer compares of an agent: everything but the rendered text (diffed as prompts) and source paths. */
function agentView(agent: Agent): unknown {
  return {
    name: agent.name,
    description: agent.description,
    identity: agent.identity,
    task: agent.route.task,
    modelChain: chainOf(agent.route),
    prompt: agent.prompt.id,
    persona: agent.persona?.id,
    tools: agent.tools.map((t) => t.id),
    memory: agent.memory.map((m) => m.id),
    policies: agent.policies,
    policy: agent.policy,
    schedules: agent.schedules.map(({ route, ...s }) => ({ ...s, modelChain: chainOf(route) })),
    heartbeat: agent.heartbeat && (({ route, ...h }) => ({ ...h, modelChain: chainOf(route) }))(agent.heartbeat),
    channels: agent.channels,
    budget: agent.budget,
  };
}

const withoutSource = <T extends { source?: string; id?: string }>({ source: _s, id: _i, ...rest }: T) => rest;
const modelView = (m: Model) => ({ ...m, provider: m.provider.id });
const tierView = (chain: Model[]) => ({ chain: chain.map((m) => m.id) });
const settingsOf = (b: Brain | undefined) => (b ? Object.fromEntries(SETTINGS.map((key) => [key, b[key]])) : {});

function diffPrompts(before: Brain | undefined, after: Brain | undefined): PromptChange[] {
  const out: PromptChange[] = [];
  const ids = [...new Set([...Object.keys(before?.agents ?? {}), ...Object.keys(after?.agents ?? {})])].sort(byId);
  for (const agent of ids) {
    for (const part of ["instructions", "persona"] as const) {
      const text = (b: Brain | undefined) => (part === "instructions" ? b?.agents[agent]?.instructions : b?.agents[agent]?.personaText) ?? "";
      const [x, y] = [text(before), text(after)];
      if (x === y) continue;
      out.push({ agent, part, patch: unifiedDiff(`${agent}/${part}`, x, y) });
    }
  }
  return out;
}

/** A unified diff of two texts (jsdiff), with `a/<name>` and `b/<name>` headers and 3 lines of context. */
export function unifiedDiff(name: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 })
    .split("\n")
    .filter((line) => !line.startsWith("=================================================================="))
    .join("\n");
}

function diffEnv(env: string, before: Brain | undefined, after: Brain | undefined): EnvDiff {
  const d: EnvDiff = {
    env,
    status: !before ? "added" : !after ? "removed" : "unchanged",
    routing: diffRouting(before, after),
    settings: diffFields(settingsOf(before), settingsOf(after)),
    agents: diffEntities(before?.agents, after?.agents, agentView),
    tools: diffEntities(before?.tools, after?.tools, withoutSource),
    mcpServers: diffEntities(before?.mcpServers, after?.mcpServers, (s) => s),
    policies: diffEntities(before?.policies, after?.policies, withoutSource),
    memory: diffEntities(before?.memory, after?.memory, withoutSource),
    models: diffEntities(before?.models, after?.models, modelView),
    providers: diffEntities(before?.providers, after?.providers, withoutSource),
    tiers: diffEntities(before?.tiers, after?.tiers, tierView),
    prompts: diffPrompts(before, after),
  };
  const groups = ENTITY_GROUPS.map((g) => d[g]);
  if (d.status === "unchanged" && (d.routing.length || d.settings.length || d.prompts.length || groups.some((g) => g.added.length + g.removed.length + g.changed.length))) d.status = "changed";
  return d;
}

function diffFiles(before: readonly TargetOutput[], after: readonly TargetOutput[]): FileChanges[] {
  const targets = [...new Set([...before, ...after].map((o) => o.target))].sort(byId);
  const out: FileChanges[] = [];
  for (const target of targets) {
    const files = (outputs: readonly TargetOutput[]) => new Map(outputs.filter((o) => o.target === target).flatMap((o) => o.files.map((f) => [f.path, f.contents] as const)));
    const a = files(before);
    const b = files(after);
    const changes: FileChanges = { target, added: [], removed: [], changed: [] };
    for (const path of [...new Set([...a.keys(), ...b.keys()])].sort(byId)) {
      if (!a.has(path)) changes.added.push(path);
      else if (!b.has(path)) changes.removed.push(path);
      else if (a.get(path) !== b.get(path)) {
        const hunks = structuredPatch(path, path, a.get(path)!, b.get(path)!, undefined, undefined, { context: 0 }).hunks;
        const count = (sign: string) => hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith(sign)).length, 0);
        changes.changed.push({ path, linesAdded: count("+"), linesRemoved: count("-") });
      }
    }
    if (changes.added.length + changes.removed.length + changes.changed.length) out.push(changes);
  }
  return out;
}

/**
 * Compares two builds of a brain: per environment, the routing of every task class (model chain, tier, the
 * primary model's price per million tokens, the task budget), the brain-wide {@link SETTINGS} (gateway,
 * fallback, budgets, target options, …) field by field, the {@link ENTITY_GROUPS} (agents, tools, MCP
 * servers, policies, memory namespaces, models, providers, tiers) added, removed or changed (field by
 * field), and each agent's rendered prompts as unified diffs; per target, the output files added, changed
 * and removed. Pure; deterministic (everything sorted).
 */
export function diffBuilds(before: BuildSnapshot, after: BuildSnapshot): BrainDiff {
  const envs = [...new Set([...Object.keys(before.brains), ...Object.keys(after.brains)])].sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : byId(a, b)));
  const envDiffs = envs.map((env) => diffEnv(env, before.brains[env], after.brains[env]));
  const body = ({ env: _env, sameAs: _same, ...rest }: EnvDiff) => JSON.stringify(rest);
  for (const [i, d] of envDiffs.entries()) {
    const earlier = envDiffs.slice(0, i).find((e) => !e.sameAs && e.status === "changed" && body(e) === body(d));
    if (d.status === "changed" && earlier) d.sameAs = earlier.env;
  }
  const files = diffFiles(before.outputs, after.outputs);
  return { envs: envDiffs, files, changed: files.length > 0 || envDiffs.some((e) => e.status !== "unchanged") };
}
