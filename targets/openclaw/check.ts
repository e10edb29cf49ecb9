import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import { diagnostic } from "../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { OutputFile } from "../../src/emit/target.js";
import { packagePath } from "../../src/package-root.js";

/** OpenClaw's own JSON Schema of openclaw.json (`openclaw config schema`, openclaw@2026.9.6; see SCHEMA.md). */
export const SCHEMA_FILE = "targets/openclaw/config.schema.2026.9.6.json";

let compiled: Promise<ValidateFunction> | undefined;

/** Compiles the OpenClaw schema once per process (ajv, about 3–6 s), on first use only. */
function validator(): Promise<ValidateFunction> {
  compiled ??= (async () => {
    const { Ajv } = await import("ajv");
    const { default: addFormats } = await import("ajv-formats");
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    (addFormats as unknown as { default: (a: typeof ajv) => void }).default(ajv);
    ajv.addFormat("starts_with", true);
    return ajv.compile(JSON.parse(readFileSync(packagePath(SCHEMA_FILE), "utf8")));
  })();
  return compiled;
}

/** One line per failing instance path: the most specific error (ajv reports every anyOf branch). */
function schemaMessages(errors: ErrorObject[]): string[] {
  const byPath = new Map<string, ErrorObject>();
  for (const e of errors) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    if (!byPath.has(e.instancePath)) byPath.set(e.instancePath, e);
  }
  return [...byPath.values()].map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}` : "";
    return `${e.instancePath || "/"} ${e.message}${extra}`;
  });
}

const DURATION = /^[0-9]+(ms|s|m|h)$/;

/**
 * The rules `openclaw config validate` (2026.9.6) applies beyond its JSON Schema, as far as brainc's output
 * can break them: `allow` with `alsoAllow` in one tool scope, bindings to unknown agents, multi-agent rosters
 * without `agents.ownership: "explicit"`, and heartbeat durations (units ms, s, m, h).
 */
function crossFieldMessages(config: Record<string, any>): string[] {
  const out: string[] = [];
  const entries: Record<string, any> = config.agents?.entries ?? {};
  const scopes: [string, any][] = [["/tools", config.tools], ...Object.entries(entries).map(([id, e]): [string, any] => [`/agents/entries/${id}/tools`, e.tools])];
  for (const [path, scope] of scopes) if (scope?.allow && scope?.alsoAllow) out.push(`${path} cannot set both allow and alsoAllow`);
  if (Object.keys(entries).length > 1 && config.agents?.ownership !== "explicit") out.push(`/agents multi-agent rosters require agents.ownership="explicit"`);
  (config.bindings ?? []).forEach((b: any, i: number) => {
    if (!(b.agentId in entries)) out.push(`/bindings/${i}/agentId unknown agent id ${JSON.stringify(b.agentId)} (not in agents.entries)`);
  });
  for (const [path, hb] of [["/agents/defaults/heartbeat", config.agents?.defaults?.heartbeat], ...Object.entries(entries).map(([id, e]) => [`/agents/entries/${id}/heartbeat`, e.heartbeat])] as [string, any][]) {
    if (hb?.every !== undefined && !DURATION.test(hb.every)) out.push(`${path}/every invalid duration ${JSON.stringify(hb.every)} (use ms, s, m, h)`);
  }
  return out;
}

/** The rules of a workspace skill's frontmatter: a slug `name` equal to its folder, a one-line description under 160 characters. */
function skillMessages(file: OutputFile): string[] {
  const folder = /skills\/([^/]+)\/SKILL\.md$/.exec(file.path)![1];
  const front = /^---\n([\s\S]*?)\n---\n/.exec(file.contents)?.[1];
  if (!front) return ["has no YAML frontmatter"];
  const name = /^name: (.*)$/m.exec(front)?.[1];
  const description = /^description: (.*)$/m.exec(front)?.[1];
  const out: string[] = [];
  if (name !== folder || !/^[a-z0-9][a-z0-9-]*$/.test(name)) out.push(`name ${JSON.stringify(name)} must be a lowercase slug equal to its folder ${JSON.stringify(folder)}`);
  let text: unknown;
  try {
    text = description === undefined ? undefined : JSON.parse(description);
  } catch {
    text = undefined;
  }
  if (typeof text !== "string" || !text || text.length >= 160 || text.includes("\n")) out.push("description must be one line of fewer than 160 characters");
  return out;
}

/**
 * Validates the OpenClaw output as OpenClaw 2026.9.6 would: openclaw.json against OpenClaw's JSON Schema
 * plus its cross-field rules, and each SKILL.md's frontmatter. Every failure is a BRN510 diagnostic naming
 * the file and the JSON pointer. The authoritative judge stays the real CLI (`npm run test:conformance:openclaw`).
 */
export async function checkOutput(files: OutputFile[]): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const report = (path: string, message: string) => out.push(diagnostic("BRN510", `openclaw/${path}: ${message}`));
  const configFile = files.find((f) => f.path === "openclaw.json");
  if (!configFile) report("openclaw.json", "missing");
  else {
    let config: Record<string, unknown> | undefined;
    try {
      config = JSON.parse(configFile.contents);
    } catch (e) {
      report(configFile.path, `not JSON: ${(e as Error).message}`);
    }
    if (config) {
      const validate = await validator();
      if (!validate(config)) for (const m of schemaMessages(validate.errors ?? [])) report(configFile.path, m);
      for (const m of crossFieldMessages(config)) report(configFile.path, m);
    }
  }
  for (const f of files.filter((f) => /(^|\/)skills\/[^/]+\/SKILL\.md$/.test(f.path))) for (const m of skillMessages(f)) report(f.path, m);
  return out;
}
