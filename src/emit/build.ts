import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { compileEnv, environments, loadAndValidate, overlayDiagnostics, type CompileResult, type LoadResult } from "../compile.js";
import type { SourceSet } from "../load/load.js";
import type { Brain } from "../link/model.js";
import { TemplateCache } from "../render/render.js";
import { overlayNamedLikeTarget } from "../validate/documents.js";
import { diagnostic } from "../diagnostics/codes.js";
import { availableBuiltins, checkTargetNames, loadTarget } from "./registry.js";
import { runTargets, type TargetOutput } from "./run.js";
import type { Target } from "./target.js";
import { goneEnvironmentScopes, type PreviousOutput } from "./write.js";

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
 * The folders (output-root-relative, ending in "/") whose earlier files a build of `result` into `out`
 * owns: each target's scope per environment built, and, when every environment was built (`env` not
 * given), those of environments whose overlay is gone ({@link goneEnvironmentScopes}).
 */
export function outputScopes(result: BuildResult, out: string, env: string | undefined): string[] {
  const scopes = result.outputs.map((o) => o.scope);
  if (env !== undefined) return scopes;
  return [...scopes, ...goneEnvironmentScopes(out, Object.keys(result.brains), [...new Set(result.outputs.map((o) => o.target))])];
}

/**
 * Runs the whole pipeline in memory for every environment asked for (default: the base brain and
 * every overlay; `env` for one) and every target. Writes nothing. Never throws for bad input:
 * problems come back as diagnostics (BRN501/BRN502 for targets that cannot be loaded, BRN403 for an
 * overlay named like one of them).
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
      diagnostics.push(...chosen.diagnostics, ...envTargetCollisions(loaded.sources, chosen.targets));
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
 * every configured module); empty means "all". A module named twice is loaded once. Errors (BRN502):
 * those of {@link loadTarget} and {@link checkTargetNames}, and a module configured under
 * `targets.<name>` whose target has another name (it would get another target's options).
 */
export async function loadTargets(brain: Brain, root: string, specs: readonly string[], cwd: string): Promise<{ targets: Target[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  /** Spec → where it resolves from and, for a brain.yaml module, its `targets.<name>` key. */
  const chosen = new Map<string, { base: string; key?: string }>();
  const modules = Object.entries(brain.targetOptions).filter(([, o]) => typeof o.module === "string");
  for (const spec of specs.length ? specs : ["all"]) {
    if (spec === "all") {
      availableBuiltins().forEach((t) => chosen.set(t, { base: cwd }));
      modules.forEach(([key, o]) => chosen.set(o.module as string, { base: root, key }));
    } else {
      const configured = modules.find(([name]) => name === spec);
      if (configured) chosen.set(configured[1].module as string, { base: root, key: spec });
      else chosen.set(spec, { base: cwd });
    }
  }
  const targets: Target[] = [];
  for (const [spec, { base, key }] of chosen) {
    const { target, diagnostics: found } = await loadTarget(spec, base);
    diagnostics.push(...found);
    if (!target || targets.includes(target)) continue;
    if (key !== undefined && target.name !== key) {
      diagnostics.push(diagnostic("BRN502", `brain.yaml targets.${key}.module ${JSON.stringify(spec)} exports a target named ${JSON.stringify(target.name)}; a module configured under targets.<name> must be named <name>`, { file: "brain.yaml", hint: `rename the key to targets.${target.name}, or the target to ${JSON.stringify(key)}` }));
    }
    targets.push(target);
  }
  diagnostics.push(...checkTargetNames(targets));
  return { targets, diagnostics };
}

/**
 * BRN403 for each overlay named like a target of the build: the environment's output folder
 * generated/<env>/ would be that target's generated/<target>/, and each would take the other's files
 * for its own. Overlays named after built-in or brain.yaml targets are found by validation already
 * (collectDocuments); this catches modules given on the command line. Checks every overlay, not only
 * the environments built, since a build of one environment may remove stale files of its targets.
 */
function envTargetCollisions(sources: SourceSet, targets: readonly Target[]): Diagnostic[] {
  const names = new Set(targets.map((t) => t.name));
  return sources.files.filter((f) => f.kind === "overlay" && names.has(f.id)).map(overlayNamedLikeTarget);
}
