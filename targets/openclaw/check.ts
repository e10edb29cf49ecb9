import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import { diagnostic } from "../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { OutputFile } from "../../src/emit/target.js";
import { packagePath } from "../../src/package-root.js";
import { precompiledOr } from "../../src/validate/precompiled.js";

/** OpenClaw's own JSON Schema of openclaw.json (`openclaw config schema`, openclaw@2026.9.6; see SCHEMA.md). */
export const SCHEMA_FILE = "targets/openclaw/config.schema.2026.9.6.json";

/** Where `npm run build` writes the schema's validator as ajv standalone code (loading it beats compiling it). */
export const PRECOMPILED_VALIDATOR = "dist/targets/openclaw/config.validator.cjs";

/**
 * An ajv instance set up for OpenClaw's schema and the schema compiled with it (ajv, a few seconds).
 * `source: true` keeps the code for `npm run build` to write out as a standalone module.
 */
export async function compileSchema(options: { source?: boolean } = {}) {
  const { Ajv } = await import("ajv");
  const { default: addFormats } = await import("ajv-formats");
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, code: { source: options.source ?? false, optimize: options.source ? true : false } });
  (addFormats as unknown as { default: (a: typeof ajv) => void }).default(ajv);
  ajv.addFormat("starts_with", true);
  return { ajv, validate: ajv.compile(JSON.parse(readFileSync(packagePath(SCHEMA_FILE), "utf8"))) };
}

let compiled: Promise<ValidateFunction> | undefined;

/** The schema's validator: the precompiled module when the build wrote it, else compiled on first use. */
function validator(): Promise<ValidateFunction> {
  compiled ??= precompiledOr(PRECOMPILED_VALIDATOR, async () => (await compileSchema()).validate);
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
 * openclaw.json as OpenClaw validates it: `${NAME}` substituted (OpenClaw does this on load) from
 * `env.vars`, the only values known at build time; `$${` unescaped. Returns the JSON pointers of strings
 * that still hold a variable, whose format OpenClaw can only judge once the variable is set.
 */
function substituteEnv(config: Record<string, unknown>): { value: unknown; unresolved: Set<string> } {
  const vars = ((config.env as { vars?: Record<string, string> } | undefined)?.vars ?? {}) as Record<string, string>;
  const unresolved = new Set<string>();
  const visit = (v: unknown, pointer: string): unknown => {
    if (typeof v === "string") {
      let open = false;
      const out = v.replace(/(\$?)\$\{([A-Z_][A-Z0-9_]*)\}/g, (m, escape: string, name: string) => {
        if (escape) return m.slice(1);
        if (name in vars) return vars[name];
        open = true;
        return m;
      });
      if (open) unresolved.add(pointer);
      return out;
    }
    if (Array.isArray(v)) return v.map((x, i) => visit(x, `${pointer}/${i}`));
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`)]));
    return v;
  };
  return { value: visit(config, ""), unresolved };
}

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
      const { value, unresolved } = substituteEnv(config);
      if (!validate(value)) {
        const errors = (validate.errors ?? []).filter((e) => !(e.keyword === "format" && unresolved.has(e.instancePath)));
        for (const m of schemaMessages(errors)) report(configFile.path, m);
      }
      for (const m of crossFieldMessages(config)) report(configFile.path, m);
    }
  }
  for (const f of files.filter((f) => /(^|\/)skills\/[^/]+\/SKILL\.md$/.test(f.path))) for (const m of skillMessages(f)) report(f.path, m);
  return out;
}
