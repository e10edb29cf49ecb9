import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { fails, hasErrors } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { plural, type Format } from "../diagnostics/format.js";
import { buildInMemory, outputScopes } from "../emit/build.js";
import { commitPlan, isInterrupted, MANIFEST, planOutput, previousOutputs, readIfExists, type Plan } from "../emit/write.js";
import { isBrainPlace } from "../load/places.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

/** The options of `brainc build` (see `brainc build --help`). */
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
  verbose?: boolean;
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
 * BRN901 when the output folder `out` is the brain folder `root` or lies in one of its places (agents/,
 * prompts/ …): the output would land among the brain's files. Both paths absolute.
 */
export function outputAmongBrainFiles(root: string, out: string, shownOut: string): Diagnostic | undefined {
  const inBrain = relative(root, out);
  if (inBrain.startsWith("..") || isAbsolute(inBrain) || !isBrainPlace(inBrain.split(sep).join("/"))) return undefined;
  return diagnostic("BRN901", `--out ${shownOut} is ${inBrain ? "a folder of the brain's files" : "the brain folder"}: brainc's output would land among the brain's files`, { hint: "write the output beside the brain (the default is ./generated)" });
}

/**
 * `brainc build`: compiles the brain and writes only the files that changed, each atomically, removing
 * stale files brainc wrote before (see emit/write.ts). `--check` writes nothing and exits 1 on any drift;
 * `--dry-run` lists what would change. A failed build leaves the output folder untouched. Files a target
 * marked with a cache key are taken from the output folder when their key did not change (never by
 * `--check`, which regenerates everything).
 */
export async function buildCommand(options: BuildOptions, io: Io): Promise<number> {
  if (options.check && options.dryRun) {
    return printDiagnostics(io, [diagnostic("BRN901", "--check and --dry-run cannot be combined")], { format: options.format });
  }
  const started = performance.now();
  const root = resolve(io.cwd, options.brain);
  const out = resolve(io.cwd, options.out);
  const misplaced = outputAmongBrainFiles(root, out, options.out);
  if (misplaced) return printDiagnostics(io, [misplaced], { format: options.format });
  // --check regenerates every file: it is the gate that proves generated/ comes from brain/, so it must not
  // take files from generated/ on the strength of a manifest that anyone can edit.
  const result = await buildInMemory(root, options, io.cwd, { previous: options.check ? undefined : previousOutputs(out) });
  const diagnostics = result.diagnostics;
  const report = () => printDiagnostics(io, diagnostics, { format: options.format, brainRoot: root, strict: options.strict, verbose: options.verbose });
  if (fails(diagnostics, options.strict)) return report();

  const files = result.outputs.flatMap((o) => o.files);
  const scopes = outputScopes(result, out, options.env);
  const { plan, diagnostics: planDiagnostics } = planOutput(out, files, scopes);
  diagnostics.push(...planDiagnostics);
  const shownOut = relative(io.cwd, out) || ".";
  if (options.check) {
    const drift = [...plan.added.map((p) => [p, "missing"]), ...plan.changed.map((p) => [p, "out of date"]), ...plan.removed.map((p) => [p, "stale (brainc no longer writes it)"])];
    for (const [p, why] of drift) diagnostics.push(diagnostic("BRN507", `${shownOut}/${p} is ${why}`, { hint: "run `brainc build` and commit the result" }));
    // A stale file edited by hand is left in place by a build, which drops it from the manifest: drift too.
    for (const p of plan.keptEdited) diagnostics.push(diagnostic("BRN507", `${shownOut}/${p} is stale (brainc no longer writes it) and was edited by hand, so brainc leaves it in place`, { hint: "delete it or move it out of the output folder, run `brainc build` and commit the result" }));
    if (isInterrupted(out)) diagnostics.push(diagnostic("BRN507", `${shownOut} holds an interrupted build`, { hint: "run `brainc build` to finish it" }));
    const code = report();
    if (code === EXIT.ok && options.format === "text") io.stderr(`brainc: ${shownOut} is up to date (${files.length} files)\n`);
    return code;
  }
  if (options.dryRun) {
    const code = report();
    listPlan(io, plan, shownOut);
    return code;
  }
  const manifestBefore = readIfExists(join(out, MANIFEST))?.toString("utf8");
  if (!hasErrors(diagnostics)) diagnostics.push(...commitPlan(out, plan, files, scopes, shownOut));
  const code = report();
  if (code === EXIT.ok && options.format === "text") {
    const ms = Math.round(performance.now() - started);
    const written = plan.added.length + plan.changed.length;
    // Only the manifest can change without a file changing (new cache keys after an upgrade, say): say so, as git will.
    const what = written ? `wrote ${plural(written, "file")}` : readIfExists(join(out, MANIFEST))?.toString("utf8") !== manifestBefore ? `updated ${MANIFEST}` : "no changes";
    io.stderr(`brainc: ${what}${plan.removed.length ? `, removed ${plan.removed.length}` : ""} in ${shownOut} (${plural(files.length, "file")} from ${plural(new Set(result.outputs.map((o) => o.target)).size, "target")}, ${ms} ms)\n`);
    if (plan.keptEdited.length) listPlan(io, { ...plan, added: [], changed: [], removed: [] }, shownOut);
  }
  return code;
}
