import { parse } from "yaml";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { diagnostic } from "../../src/diagnostics/codes.js";
import { type OutputFile, type Target, builtinOptionsSchema } from "../../src/emit/target.js";
import type { Brain } from "../../src/link/model.js";
import { budgetsJson } from "./budgets.js";
import { buildLitellm, type LitellmOptions } from "./config.js";
import { envExample, envExampleNames } from "./env.js";
import { lintConfig } from "./lint.js";
import { buildReadme } from "./readme.js";
import { validateConfig } from "./validate.js";
import { pyyamlDivergences, stringifyYaml11 } from "./yaml11.js";


/** The header comment of config.yaml. */
function header(brain: Brain): string[] {
  return [
    `LiteLLM proxy config built by brainc from brain "${brain.name}"${brain.env === "default" ? "" : ` (env ${brain.env})`}. Do not edit: change the brain and rebuild.`,
    "Run: litellm --config config.yaml, with the variables of .env.example set; apply budgets.json through the admin API.",
    "Clients call a task class (model_group_alias) or a model group, and send litellm_session_id = <job id> and",
    "metadata.tags [job:<id>, task:<class>, agent:<id>] (docs/targets/litellm.md).",
  ];
}

/** The files of the LiteLLM target for a brain, and the diagnostics of building them. */
export function litellmFiles(brain: Brain, options: LitellmOptions): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const build = buildLitellm(brain, options);
  return {
    files: [
      { path: "config.yaml", contents: stringifyYaml11(build.config, header(brain)) },
      { path: "budgets.json", contents: budgetsJson(brain, build.budgets) },
      { path: ".env.example", contents: envExample(brain.name, brain.env, build.env) },
      { path: "README.md", contents: buildReadme(brain, build.env, build.diagnostics) },
    ],
    diagnostics: build.diagnostics,
  };
}

const invalid = (file: string, pointer: string, message: string) => diagnostic("BRN510", `litellm/${file}${pointer ? ` ${pointer}` : ""}: ${message}`);

/**
 * Checks the output: config.yaml parses as YAML 1.1 with no plain scalar that PyYAML (the proxy's loader)
 * would type differently (yaml11.ts `pyyamlDivergences`), passes the strict and
 * the permissive LiteLLM config schemas (targets/litellm/schema/) and the semantic lint (lint.ts);
 * budgets.json is JSON with a `requests` list. Every problem is a BRN510 error.
 */
export async function checkLitellm(files: readonly OutputFile[]): Promise<Diagnostic[]> {
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  const text = byPath.get("config.yaml");
  if (text === undefined) return [invalid("config.yaml", "", "missing")];
  let config: unknown;
  try {
    config = parse(text, { version: "1.1" });
  } catch (e) {
    return [invalid("config.yaml", "", `not valid YAML 1.1: ${(e as Error).message.split("\n")[0]}`)];
  }
  const out = pyyamlDivergences(text).map((s) => invalid("config.yaml", "", `PyYAML, which the proxy loads its config with, reads the plain scalar ${JSON.stringify(s)} as another type than YAML 1.1 does here; quote it`));
  const errors = await validateConfig(config);
  const key = (e: { pointer: string; message: string }) => `${e.pointer}\0${e.message}`;
  const permissive = new Set(errors.filter((e) => e.schema === "permissive").map(key));
  const strict = new Set(errors.filter((e) => e.schema === "strict").map(key));
  const schemaErrors = errors
    .filter((e) => e.schema === "strict" || !strict.has(key(e)))
    .map((e) => invalid("config.yaml", e.pointer, `${e.message} (${e.schema === "strict" && permissive.has(key(e)) ? "strict and permissive LiteLLM config schemas" : `${e.schema} LiteLLM config schema`})`));
  out.push(...schemaErrors);
  out.push(...lintConfig(config, envExampleNames(byPath.get(".env.example") ?? "")).map((f) => invalid("config.yaml", f.pointer, f.message)));
  try {
    const budgets = JSON.parse(byPath.get("budgets.json") ?? "null");
    if (!Array.isArray(budgets?.requests)) out.push(invalid("budgets.json", "", "has no requests list"));
  } catch (e) {
    out.push(invalid("budgets.json", "", `not JSON: ${(e as Error).message}`));
  }
  return out;
}

/**
 * The LiteLLM target: `config.yaml` (the brain's routing table as a LiteLLM proxy config: a model group per
 * tier and per explicit task chain, aliases per task class, fallbacks, retries, the global budget),
 * `budgets.json` (agent and task budgets as admin API requests), `.env.example` and `README.md` (how to
 * deploy them, what the proxy does not enforce). Docs: docs/targets/litellm.md.
 */
const litellm: Target<LitellmOptions> = {
  name: "litellm",
  optionsSchema: builtinOptionsSchema("litellm"),
  emit(brain, options, context) {
    const { files, diagnostics } = litellmFiles(brain, options);
    diagnostics.forEach((d) => context.report(d));
    return files;
  },
  check: (files) => checkLitellm(files),
};

export default litellm;
