import { createRequire } from "node:module";
import type { Policy } from "../types/index.js";
import { durationMs } from "./durations.js";
import type { EffectivePolicy } from "./model.js";

/** A policy to merge, with the file it comes from. */
export interface PolicySource {
  id: string;
  source: string;
  /** The file that set the field at a dotted path, when not `source` (an overlay's, for the values it set). */
  sourceOf?: (path: string) => string;
  policy: Policy;
}

type Rule = "min" | "minDuration" | "union" | "intersectNames" | "intersectGlobs" | "or" | "last" | "max" | "checkpointEvery";

/**
 * How each field merges (dotted paths). Merging only tightens: limits take the minimum, deny and
 * approval lists are unions, allow lists intersect, `workspaceOnly` is true when any policy sets it,
 * checkpoints happen at the most frequent cadence any policy asks for and keep the most any asks for.
 * Backoff and restart delays tune behaviour rather than limit it: the last policy that sets them wins.
 */
const RULES: Record<string, Rule> = {
  "loop.maxSteps": "min",
  "loop.maxToolCalls": "min",
  "loop.maxTokens": "min",
  "loop.maxCostUsd": "min",
  "loop.maxDuration": "minDuration",
  "loop.stopAfterNoProgress": "min",
  "context.compactAtPercent": "min",
  "context.keepRecentTokens": "min",
  "context.maxCompactions": "min",
  "tools.allow": "intersectNames",
  "tools.deny": "union",
  "tools.requireApproval": "union",
  "tools.exec.allowBins": "intersectNames",
  "tools.exec.denyPatterns": "union",
  "tools.paths.allow": "intersectGlobs",
  "tools.paths.deny": "union",
  "tools.paths.workspaceOnly": "or",
  "tools.network.allow": "intersectGlobs",
  "tools.network.deny": "union",
  "checkpoint.every": "checkpointEvery",
  "checkpoint.keep": "max",
  "retry.maxAttempts": "min",
  "retry.backoff": "last",
  "restart.maxRetries": "min",
  "restart.initialDelay": "last",
  "restart.maxDelay": "last",
  "restart.resetAfter": "last",
  "health.liveness.interval": "minDuration",
  "health.liveness.timeout": "minDuration",
  "health.liveness.unhealthyThreshold": "min",
};

function checkpointRank(every: string): number {
  return every === "tool-call" ? -2 : every === "step" ? -1 : durationMs(every);
}

/** A sorted copy of `xs` without duplicates (tool lists resolved from `*` are sorted already: checked in one pass). */
function sortedUnique(xs: readonly string[]): string[] {
  let sorted = true;
  for (let i = 1; i < xs.length && sorted; i++) sorted = xs[i - 1] < xs[i];
  return sorted ? xs.slice() : [...new Set(xs)].sort();
}

/** Keeps each glob of `a` that a glob of `b` matches, and each of `b` that one of `a` matches. */
function intersectGlobs(a: string[], b: string[]): string[] {
  const covered = (p: string, by: string[]) => by.some((q) => q === p || glob().isMatch(p, q, { dot: true }));
  return sortedUnique([...a.filter((p) => covered(p, b)), ...b.filter((p) => covered(p, a))]);
}

function merge(rule: Rule, a: unknown, b: unknown): { value: unknown; keepA: boolean; keepB: boolean } {
  switch (rule) {
    case "min":
      return (b as number) < (a as number) ? { value: b, keepA: false, keepB: true } : { value: a, keepA: true, keepB: false };
    case "max":
      return (b as number) > (a as number) ? { value: b, keepA: false, keepB: true } : { value: a, keepA: true, keepB: false };
    case "minDuration":
      return durationMs(b as string) < durationMs(a as string) ? { value: b, keepA: false, keepB: true } : { value: a, keepA: true, keepB: false };
    case "checkpointEvery":
      return checkpointRank(b as string) < checkpointRank(a as string) ? { value: b, keepA: false, keepB: true } : { value: a, keepA: true, keepB: false };
    case "or":
      return { value: Boolean(a) || Boolean(b), keepA: Boolean(a), keepB: Boolean(b) && !a };
    case "last":
      return { value: b, keepA: false, keepB: true };
    case "union":
      return { value: sortedUnique([...(a as string[]), ...(b as string[])]), keepA: true, keepB: true };
    case "intersectNames": {
      const inB = new Set(b as string[]);
      return { value: sortedUnique((a as string[]).filter((x) => inB.has(x))), keepA: true, keepB: true };
    }
    case "intersectGlobs":
      return { value: intersectGlobs(a as string[], b as string[]), keepA: true, keepB: true };
  }
}

/** picomatch, loaded the first time a glob (not a plain name) has to be matched. */
const glob = (): typeof import("picomatch") => createRequire(import.meta.url)("picomatch");

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** Expands tool names and globs (`*`, `http-*`) to the matching tool ids, sorted. */
export function matchTools(patterns: readonly string[], toolIds: readonly string[]): string[] {
  if (patterns.includes("*")) return [...toolIds].sort();
  const globs = patterns.filter((p) => GLOB_CHARS.test(p));
  const names = new Set(patterns.filter((p) => !GLOB_CHARS.test(p)));
  const isMatch = globs.length ? glob()(globs) : () => false;
  return toolIds.filter((id) => names.has(id) || isMatch(id)).sort();
}

/**
 * A copy of a policy whose `tools.deny` and `tools.requireApproval` name concrete tool ids: every tool of
 * the brain they match (a runtime may offer a tool the agent does not list, such as OpenClaw's built-in
 * `exec`, and a deny must still reach it). `tools.allow` stays as written; {@link forAgent} resolves it.
 */
export function resolveToolNames(policy: Policy, toolIds: readonly string[]): Policy {
  if (!policy.tools) return policy;
  const tools = { ...policy.tools };
  for (const list of ["deny", "requireApproval"] as const) if (tools[list]) tools[list] = matchTools(tools[list]!, toolIds);
  return { ...policy, tools };
}

/**
 * A policy (from {@link resolveToolNames}) as it applies to one agent: `tools.allow` names only the
 * agent's own tools (`agentToolIds`) it matches, since an agent never gets a tool it does not list. So
 * `allow: ["*"]` is as long as the agent's tool list, and adding a tool to the brain does not change every
 * agent's effective policy.
 */
export function forAgent(policy: Policy, agentToolIds: readonly string[]): Policy {
  if (!policy.tools?.allow) return policy;
  return { ...policy, tools: { ...policy.tools, allow: matchTools(policy.tools.allow, agentToolIds) } };
}

/**
 * Merges policies in order into an effective policy, with the provenance of every field (dotted path →
 * files that set the effective value). Tool name lists must already be resolved to tool ids for the agent
 * ({@link resolveToolNames}, {@link forAgent}), so that `allow: ["*"]` and `allow: ["http-*"]` intersect correctly.
 */
export function mergePolicies(policies: readonly PolicySource[]): { policy: EffectivePolicy; provenance: Record<string, string[]> } {
  const values = new Map<string, unknown>();
  const provenance = new Map<string, string[]>();
  for (const { source: file, sourceOf, policy } of policies) {
    const { description: _description, ...body } = policy;
    for (const [path, value] of policyLeaves(body)) {
      const rule = RULES[path] ?? "last";
      const source = sourceOf?.(path) ?? file;
      if (!values.has(path)) {
        values.set(path, Array.isArray(value) ? sortedUnique(value as string[]) : value);
        provenance.set(path, [source]);
        continue;
      }
      const merged = merge(rule, values.get(path), value);
      values.set(path, merged.value);
      const before = merged.keepA ? provenance.get(path)! : [];
      provenance.set(path, merged.keepB ? [...new Set([...before, source])] : before);
    }
  }
  const policy: Record<string, unknown> = {};
  for (const path of [...values.keys()].sort()) setPath(policy, path, values.get(path));
  return { policy: policy as EffectivePolicy, provenance: Object.fromEntries([...provenance.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** Leaves of a policy: every value that is not a plain object, and the objects that merge whole (backoff). */
/**
 * The mergeable fields of a policy as [dotted path, value], in key order: every value that is not a
 * plain object, and the objects that merge whole (`retry.backoff`). These paths are the keys of an
 * agent's `provenance`.
 */
export function policyLeaves(obj: object, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && RULES[path] !== "last") out.push(...policyLeaves(v, path));
    else out.push([path, v]);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}
