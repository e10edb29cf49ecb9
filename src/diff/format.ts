// Types only: `brainc --help` loads this module for DIFF_FORMATS, and semantic.js loads jsdiff.
import type { BrainDiff, EntityChanges, EntityGroup, EnvDiff, FieldChange, FileChanges, RouteChange } from "./semantic.js";

/** The output formats of `brainc diff --format`. */
export const DIFF_FORMATS = ["text", "markdown", "json"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Labels of the two sides, e.g. { before: "main", after: "working tree" }. */
export interface DiffSides {
  before: string;
  after: string;
}

const usd = (n: number) => `$${Number(n.toFixed(4))}`;
const signed = (n: number) => (n === 0 ? "±$0" : `${n > 0 ? "+" : "−"}${usd(Math.abs(n))}`);
const chain = (c: string[] | undefined) => (c ? c.join(" → ") : "(none)");

/** A value as a reviewer reads it: strings bare, lists in brackets, absent as "(unset)". */
function value(v: unknown): string {
  if (v === undefined) return "(unset)";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ")}]`;
  return JSON.stringify(v);
}

function field(f: FieldChange, code: (s: string) => string): string {
  return `${code(f.path)}: ${code(value(f.before))} → ${code(value(f.after))}`;
}

function cost(r: RouteChange): string {
  const x = r.before?.costPerMTokUsd;
  const y = r.after?.costPerMTokUsd;
  const delta = r.costDeltaPerMTokUsd;
  if (x && y && delta && (delta.input !== 0 || delta.output !== 0)) return `input ${usd(x.input)} → ${usd(y.input)} (${signed(delta.input)}), output ${usd(x.output)} → ${usd(y.output)} (${signed(delta.output)}) per MTok`;
  const one = y ?? x;
  return one ? `input ${usd(one.input)}, output ${usd(one.output)} per MTok` : "";
}

/** What else changed of a route that exists on both sides: its tier ("models" for an explicit chain) and its budget. */
function routeNotes(r: RouteChange): string {
  const notes: string[] = [];
  const tier = (side: RouteChange["before"]) => side?.tier ?? "models";
  if (r.before && r.after && tier(r.before) !== tier(r.after)) notes.push(`tier ${tier(r.before)} → ${tier(r.after)}`);
  if (JSON.stringify(r.before?.budget) !== JSON.stringify(r.after?.budget)) notes.push(`budget ${value(r.before?.budget)} → ${value(r.after?.budget)}`);
  return notes.join("; ");
}

/** Every entity group of an EnvDiff (typed, so none can be left out), in the order they are printed. */
const GROUP_TITLES: Record<EntityGroup, string> = { agents: "Agents", tools: "Tools", mcpServers: "MCP servers", policies: "Policies", memory: "Memory", models: "Models", providers: "Providers", tiers: "Tiers" };
const GROUPS = Object.keys(GROUP_TITLES) as EntityGroup[];
const GROUP_NOUNS: Record<EntityGroup, string> = { agents: "agent", tools: "tool", mcpServers: "MCP server", policies: "policy", memory: "namespace", models: "model", providers: "provider", tiers: "tier" };
const sign = (before: unknown, after: unknown) => (before === undefined ? "+" : after === undefined ? "-" : "~");
const isEmpty = (g: EntityChanges) => g.added.length + g.removed.length + g.changed.length === 0;

function envSummary(env: EnvDiff): string {
  if (env.status === "added") return "new environment";
  if (env.status === "removed") return "environment removed";
  return "";
}

// ---------------------------------------------------------------- text

function textEnv(env: EnvDiff): string[] {
  const lines: string[] = [`env ${env.env}${envSummary(env) ? ` (${envSummary(env)})` : ""}:`];
  if (env.status === "unchanged") return [...lines, "  no semantic changes"];
  if (env.sameAs) return [...lines, `  the same changes as env ${env.sameAs}`];
  for (const r of env.routing) {
    const extra = [cost(r), routeNotes(r)].filter(Boolean).join("; ");
    lines.push(`  ${sign(r.before, r.after)} route ${r.task}: ${chain(r.before?.chain)} ⇒ ${chain(r.after?.chain)}${extra ? ` (${extra})` : ""}`);
  }
  for (const f of env.settings) lines.push(`  ${sign(f.before, f.after)} ${field(f, (s) => s)}`);
  for (const group of GROUPS) {
    const g = env[group];
    const noun = GROUP_NOUNS[group];
    g.added.forEach((id) => lines.push(`  + ${noun} ${id}`));
    g.removed.forEach((id) => lines.push(`  - ${noun} ${id}`));
    for (const c of g.changed) {
      lines.push(`  ~ ${noun} ${c.id}`);
      c.fields.forEach((f) => lines.push(`      ${field(f, (s) => s)}`));
    }
  }
  for (const p of env.prompts) lines.push(`  ~ prompt of agent ${p.agent} (${p.part}):`, ...p.patch.trimEnd().split("\n").map((l) => `      ${l}`));
  return lines;
}

function textFiles(files: FileChanges[]): string[] {
  const lines: string[] = [];
  for (const t of files) {
    lines.push(`target ${t.target}: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed`);
    t.added.forEach((p) => lines.push(`  + ${p}`));
    t.changed.forEach((c) => lines.push(`  ~ ${c.path} (+${c.linesAdded} −${c.linesRemoved})`));
    t.removed.forEach((p) => lines.push(`  - ${p}`));
  }
  return lines;
}

// ---------------------------------------------------------------- markdown

const code = (s: string) => "`" + s.replace(/`/g, "ˋ") + "`";
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function markdownEnv(env: EnvDiff): string[] {
  const lines: string[] = [`### Environment ${code(env.env)}${envSummary(env) ? ` (${envSummary(env)})` : ""}`, ""];
  if (env.status === "unchanged") return [...lines, "No semantic changes.", ""];
  if (env.sameAs) return [...lines, `The same changes as ${code(env.sameAs)}.`, ""];
  if (env.routing.length) {
    lines.push("**Routing**", "", "| task | before | after | primary model, USD per MTok (input / output) | tier, budget |", "| --- | --- | --- | --- | --- |");
    for (const r of env.routing) {
      const x = r.before?.costPerMTokUsd;
      const y = r.after?.costPerMTokUsd;
      const one = y ?? x;
      const price = x && y && r.costDeltaPerMTokUsd && (r.costDeltaPerMTokUsd.input || r.costDeltaPerMTokUsd.output) ? `${usd(x.input)} → ${usd(y.input)} (${signed(r.costDeltaPerMTokUsd.input)}) / ${usd(x.output)} → ${usd(y.output)} (${signed(r.costDeltaPerMTokUsd.output)})` : one ? `${usd(one.input)} / ${usd(one.output)}` : "";
      lines.push(`| ${code(r.task)} | ${cell(chain(r.before?.chain))} | ${cell(chain(r.after?.chain))} | ${cell(price)} | ${cell(routeNotes(r))} |`);
    }
    lines.push("");
  }
  if (env.settings.length) lines.push("**Settings**", "", ...env.settings.map((f) => `- ${field(f, code)}`), "");
  for (const group of GROUPS) {
    const g = env[group];
    if (isEmpty(g)) continue;
    lines.push(`**${GROUP_TITLES[group]}**`, "");
    g.added.forEach((id) => lines.push(`- added ${code(id)}`));
    g.removed.forEach((id) => lines.push(`- removed ${code(id)}`));
    for (const c of g.changed) {
      lines.push(`- changed ${code(c.id)}`);
      c.fields.forEach((f) => lines.push(`  - ${field(f, code)}`));
    }
    lines.push("");
  }
  if (env.prompts.length) {
    lines.push("**Prompts**", "");
    for (const p of env.prompts) {
      lines.push(`<details><summary>${p.agent}: ${p.part}</summary>`, "", "```diff", p.patch.trimEnd(), "```", "", "</details>", "");
    }
  }
  return lines;
}

function markdownFiles(files: FileChanges[]): string[] {
  if (!files.length) return [];
  const lines = ["### Generated files", "", "| target | added | changed | removed |", "| --- | ---: | ---: | ---: |"];
  for (const t of files) lines.push(`| ${code(t.target)} | ${t.added.length} | ${t.changed.length} | ${t.removed.length} |`);
  lines.push("", "<details><summary>files</summary>", "");
  for (const t of files) {
    t.added.forEach((p) => lines.push(`- added ${code(p)}`));
    t.changed.forEach((c) => lines.push(`- changed ${code(c.path)} (+${c.linesAdded} −${c.linesRemoved})`));
    t.removed.forEach((p) => lines.push(`- removed ${code(p)}`));
  }
  lines.push("", "</details>", "");
  return lines;
}

/**
 * Renders a {@link BrainDiff}: `text` for terminals, `markdown` for a pull-request comment (GitHub-
 * flavoured: tables, `<details>` around prompt diffs), `json` (the BrainDiff itself, with the sides).
 * Always ends in a newline.
 */
export function formatDiff(diff: BrainDiff, format: DiffFormat, sides: DiffSides): string {
  if (format === "json") return JSON.stringify({ before: sides.before, after: sides.after, ...diff }, null, 2) + "\n";
  if (format === "markdown") {
    const head = [`## brainc diff: ${code(sides.before)} → ${code(sides.after)}`, ""];
    if (!diff.changed) return [...head, "No changes to the brain or to the generated files."].join("\n") + "\n";
    return [...head, ...diff.envs.flatMap(markdownEnv), ...markdownFiles(diff.files)].join("\n").trimEnd() + "\n";
  }
  if (!diff.changed) return `brainc diff ${sides.before} → ${sides.after}: no changes\n`;
  return [`brainc diff ${sides.before} → ${sides.after}:`, ...diff.envs.flatMap(textEnv), ...textFiles(diff.files)].join("\n") + "\n";
}
