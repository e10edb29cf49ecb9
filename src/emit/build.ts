import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { compileEnv, environments, loadAndValidate, overlayDiagnostics, type CompileResult, type LoadResult } from "../compile.js";
import type { SourceSet } from "../load/load.js";
import type { Brain } from "../link/model.js";
import { TemplateCache } from "../render/render.js";
import { availableBuiltins, loadTarget } from "./registry.js";
import { runTargets, type TargetOutput } from "./run.js";
import type { Target } from "./target.js";
import type { PreviousOutput } from "./write.js";

/** Which targets and environments to build. */
export interface BuildSelection {
  /** Built-in names, module paths, or "all"; empty: all. */
  target: string[];
  /** One environment (an overlay name, or "default"); undefined: the base brain and every overlay. */
  env?: string;
}

/** The outputs of a whole build, in memory. */
export interface BuildResult {
  /** One entry per environment and target; paths relative to the output root. */
  outputs: TargetOutput[];
  /** The linked brain of each environment that compiled, by env name ("default" for the base brain). */
  brains: Record<string, Brain>;
  diagnostics: Diagnostic[];
}

/**
 * Runs the whole pipeline in memory for every environment asked for (default: the base brain and
 * every overlay; `env` for one) and every target. Writes nothing. Never throws for bad input:
 * problems come back as diagnostics (BRN501/BRN502 for targets that cannot be loaded).
 * `cwd` is where module paths given on the command line resolve; brain.yaml `targets.<name>.module`
 * resolves against the brain root.
 */
export async function buildInMemory(root: string, selection: BuildSelection, cwd: string, options: BuildOptions = {}): Promise<BuildResult> {
  return buildFromSources(await loadAndValidate(root), root, selection, cwd, options);
}

/** What a build may reuse. */
export interface BuildOptions {
  /** What earlier builds wrote (see previousOutputs in write.ts); without it every file is computed afresh. */
  previous?: PreviousOutput;
  /** Parsed and compiled templates to reuse and add to (`build --watch` keeps one); default: one per build. */
  templates?: TemplateCache;
}

/** {@link buildInMemory} from a brain already loaded and validated (what `build --watch` keeps between rebuilds). */
export async function buildFromSources(loaded: LoadResult, root: string, selection: BuildSelection, cwd: string, options: BuildOptions = {}): Promise<BuildResult> {
  const diagnostics = [...loaded.diagnostics];
  const outputs: TargetOutput[] = [];
  const brains: Record<string, Brain> = {};
  if (!loaded.sources || hasErrors(diagnostics)) return { outputs, brains, diagnostics };
  const base: Diagnostic[] = [];
  const report = (env: string, found: Diagnostic[]) => {
    if (env === "default") base.push(...found);
    diagnostics.push(...overlayDiagnostics(env, found, base));
  };
  const compiled = await compileEnvironments(loaded.sources, selection.env, options.templates);
  for (const { env, result } of compiled) {
    report(env, result.diagnostics);
    if (result.brain) brains[env] = result.brain;
  }
  let targets: Target[] | undefined;
  for (const { env, result } of compiled) {
    if (!result.brain) continue;
    if (!targets) {
      const chosen = await loadTargets(result.brain, root, selection.target, cwd);
      diagnostics.push(...chosen.diagnostics);
      if (hasErrors(diagnostics)) return { outputs, brains, diagnostics };
      targets = chosen.targets;
    }
    const manifest = result.documents!.manifest;
    const ran = await runTargets(result.brain, targets, (pointer) => manifest.locate(pointer, "key"), options.previous);
    report(env, ran.diagnostics);
    outputs.push(...ran.outputs);
  }
  return { outputs, brains, diagnostics };
}

/**
 * Compiles `env` (or the base brain and every overlay) with one template cache (`kept`, or one of its own:
 * every environment is rendered before any target runs, so that its compiled templates are garbage by then).
 */
async function compileEnvironments(sources: SourceSet, env: string | undefined, kept?: TemplateCache): Promise<{ env: string; result: CompileResult }[]> {
  const templates = kept ?? new TemplateCache();
  const out: { env: string; result: CompileResult }[] = [];
  for (const e of env ? [env] : environments(sources)) out.push({ env: e, result: await compileEnv(sources, e, { templates }) });
  return out;
}

/**
 * Loads the targets a build runs: `specs` are built-in names, module paths (relative to `cwd`), names of
 * brain.yaml `targets.<name>.module` entries (relative to the brain root), or "all" (every built-in and
 * every configured module); empty means "all".
 */
export async function loadTargets(brain: Brain, root: string, specs: readonly string[], cwd: string): Promise<{ targets: Target[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const chosen = new Map<string, string>();
  const modules = Object.entries(brain.targetOptions).filter(([, o]) => typeof o.module === "string");
  for (const spec of specs.length ? specs : ["all"]) {
    if (spec === "all") {
      availableBuiltins().forEach((t) => chosen.set(t, cwd));
      modules.forEach(([, o]) => chosen.set(o.module as string, root));
    } else {
      const configured = modules.find(([name]) => name === spec);
      if (configured) chosen.set(configured[1].module as string, root);
      else chosen.set(spec, cwd);
    }
  }
  const targets: Target[] = [];
  for (const [spec, base] of chosen) {
    const loadedTarget = await loadTarget(spec, base);
    diagnostics.push(...loadedTarget.diagnostics);
    if (loadedTarget.target) targets.push(loadedTarget.target);
  }
  return { targets, diagnostics };
}
