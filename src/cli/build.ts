import { relative, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { Format } from "../diagnostics/format.js";
import { compileEnv, environments, loadAndValidate } from "../compile.js";
import { availableBuiltins, loadTarget } from "../emit/registry.js";
import { runTargets, type TargetOutput } from "../emit/run.js";
import type { Target } from "../emit/target.js";
import { applyPlan, isInterrupted, planOutput, type Plan } from "../emit/write.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

export interface BuildOptions {
  brain: string;
  /** Built-in names, module paths, or "all"; default: all. */
  target: string[];
  out: string;
  env?: string;
  check?: boolean;
  dryRun?: boolean;
  format: Format;
  strict?: boolean;
}

/** The outputs of a whole build, in memory. */
export interface BuildResult {
  outputs: TargetOutput[];
  diagnostics: Diagnostic[];
}

/**
 * Runs the whole pipeline in memory for every environment asked for (default: the base brain and
 * every overlay; `--env` for one) and every target. Writes nothing.
 */
export async function buildInMemory(root: string, options: Pick<BuildOptions, "target" | "env">, cwd: string): Promise<BuildResult> {
  const loaded = await loadAndValidate(root);
  const diagnostics = [...loaded.diagnostics];
  const outputs: TargetOutput[] = [];
  if (!loaded.sources || hasErrors(diagnostics)) return { outputs, diagnostics };
  let targets: Target[] | undefined;
  for (const env of options.env ? [options.env] : environments(loaded.sources)) {
    const compiled = await compileEnv(loaded.sources, env);
    diagnostics.push(...compiled.diagnostics);
    if (!compiled.brain) continue;
    if (!targets) {
      // Module paths on the command line resolve against the working directory; in brain.yaml
      // (targets.<name>.module) against the brain root.
      const specs = new Map<string, string>();
      const modules = Object.entries(compiled.brain.targetOptions).filter(([, o]) => typeof o.module === "string");
      for (const spec of options.target.length ? options.target : ["all"]) {
        if (spec === "all") {
          availableBuiltins().forEach((t) => specs.set(t, cwd));
          modules.forEach(([, o]) => specs.set(o.module as string, root));
        } else {
          const configured = modules.find(([name]) => name === spec);
          if (configured) specs.set(configured[1].module as string, root);
          else specs.set(spec, cwd);
        }
      }
      targets = [];
      for (const [spec, base] of specs) {
        const loadedTarget = await loadTarget(spec, base);
        diagnostics.push(...loadedTarget.diagnostics);
        if (loadedTarget.target) targets.push(loadedTarget.target);
      }
      if (hasErrors(diagnostics)) return { outputs, diagnostics };
    }
    const manifest = compiled.documents!.manifest;
    const ran = await runTargets(compiled.brain, targets, (pointer) => manifest.locate(pointer, "key"));
    diagnostics.push(...ran.diagnostics);
    outputs.push(...ran.outputs);
  }
  return { outputs, diagnostics };
}

function listPlan(io: Io, plan: Plan, out: string): void {
  const lines = [
    ...plan.added.map((p) => `+ ${p}`),
    ...plan.changed.map((p) => `~ ${p}`),
    ...plan.removed.map((p) => `- ${p}`),
    ...plan.keptEdited.map((p) => `! ${p} (edited by hand since brainc wrote it; left in place)`),
  ];
  for (const line of lines) io.stderr(`  ${line}\n`);
  io.stderr(`${out}: ${plan.added.length} to add, ${plan.changed.length} to change, ${plan.removed.length} to remove, ${plan.unchanged.length} unchanged\n`);
}

/**
 * `brainc build`: compiles the brain and writes only the files that changed, each atomically, removing
 * stale files brainc wrote before (see emit/write.ts). `--check` writes nothing and exits 1 on any drift;
 * `--dry-run` lists what would change. A failed build leaves the output folder untouched.
 */
export async function buildCommand(options: BuildOptions, io: Io): Promise<number> {
  if (options.check && options.dryRun) {
    return printDiagnostics(io, [diagnostic("BRN901", "--check and --dry-run cannot be combined")], { format: options.format });
  }
  const started = performance.now();
  const root = resolve(io.cwd, options.brain);
  const out = resolve(io.cwd, options.out);
  const result = await buildInMemory(root, options, io.cwd);
  const diagnostics = result.diagnostics;
  const failed = hasErrors(diagnostics) || (options.strict && diagnostics.some((d) => d.severity === "warning"));
  if (failed) return printDiagnostics(io, diagnostics, { format: options.format, brainRoot: root, strict: options.strict });

  const files = result.outputs.flatMap((o) => o.files);
  const scopes = result.outputs.map((o) => o.scope);
  const { plan, diagnostics: planDiagnostics } = planOutput(out, files, scopes);
  diagnostics.push(...planDiagnostics);
  const shownOut = relative(io.cwd, out) || ".";
  if (options.check) {
    const drift = [...plan.added.map((p) => [p, "missing"]), ...plan.changed.map((p) => [p, "out of date"]), ...plan.removed.map((p) => [p, "stale (brainc no longer writes it)"])];
    for (const [p, why] of drift) diagnostics.push(diagnostic("BRN507", `${shownOut}/${p} is ${why}`, { hint: "run `brainc build` and commit the result" }));
    if (isInterrupted(out)) diagnostics.push(diagnostic("BRN507", `${shownOut} holds an interrupted build`, { hint: "run `brainc build` to finish it" }));
    const code = printDiagnostics(io, diagnostics, { format: options.format, brainRoot: root, strict: options.strict });
    if (code === EXIT.ok && options.format === "text") io.stderr(`brainc: ${shownOut} is up to date (${files.length} files)\n`);
    return code;
  }
  if (options.dryRun) {
    const code = printDiagnostics(io, diagnostics, { format: options.format, brainRoot: root, strict: options.strict });
    listPlan(io, plan, shownOut);
    return code;
  }
  if (!hasErrors(diagnostics)) {
    try {
      applyPlan(out, plan, files, scopes);
    } catch (e) {
      diagnostics.push(diagnostic("BRN506", `cannot write ${shownOut}: ${(e as Error).message}`));
    }
  }
  const code = printDiagnostics(io, diagnostics, { format: options.format, brainRoot: root, strict: options.strict });
  if (code === EXIT.ok && options.format === "text") {
    const ms = Math.round(performance.now() - started);
    const written = plan.added.length + plan.changed.length;
    io.stderr(`brainc: ${written ? `wrote ${written} file${written === 1 ? "" : "s"}` : "no changes"}${plan.removed.length ? `, removed ${plan.removed.length}` : ""} in ${shownOut} (${files.length} files from ${new Set(result.outputs.map((o) => o.target)).size} targets, ${ms} ms)\n`);
    if (plan.keptEdited.length) listPlan(io, { ...plan, added: [], changed: [], removed: [] }, shownOut);
  }
  return code;
}
