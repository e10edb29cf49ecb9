import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { Brain } from "../link/model.js";
import type { Location } from "../validate/documents.js";
import { mapErrors } from "../validate/schema.js";
import { checkTargetNames } from "./registry.js";
import type { OutputFile, Target } from "./target.js";
import { isSafeRelativePath, type PreviousOutput } from "./write.js";

/** Files one target produced, with paths relative to the output root (`<target>/…` or `<env>/<target>/…`). */
export interface TargetOutput {
  target: string;
  /** Output-root-relative folder prefix owned by this target, ending in "/". */
  scope: string;
  files: OutputFile[];
}

/** Each target's compiled optionsSchema, so that `build --watch` does not compile it again on every rebuild. */
const optionValidators = new WeakMap<Target, import("ajv").ValidateFunction>();

/** Validates target options against the target's optionsSchema (ajv, compiled on first use per target). */
async function checkOptions(target: Target, options: unknown, locate: (pointer: string) => Location | undefined): Promise<Diagnostic[]> {
  let validate = optionValidators.get(target);
  if (!validate) {
    const { Ajv } = await import("ajv");
    validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(target.optionsSchema);
    optionValidators.set(target, validate);
  }
  if (validate(options)) return [];
  // Worded like the brain's own schema errors (unknown keys with did-you-mean, alternatives in words).
  return mapErrors(validate.errors ?? [], (pointer) => locate(pointer) ?? { file: "brain.yaml" }, `/targets/${target.name}`, "BRN503");
}

/**
 * Runs targets in memory: validates each one's options, calls `emit`, checks the paths it returned,
 * then its own `check`. Nothing is written; `previous` answers {@link EmitContext.previous} (paths relative
 * to the output root). Errors: BRN502 target names that are not ids or not unique (then no target runs),
 * BRN503 options, BRN504 bad paths, BRN505 a target that threw, plus whatever the targets report.
 */
export async function runTargets(brain: Brain, targets: readonly Target[], locate: (pointer: string) => Location | undefined = () => undefined, previous: PreviousOutput = () => undefined): Promise<{ outputs: TargetOutput[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = checkTargetNames(targets);
  const outputs: TargetOutput[] = [];
  if (diagnostics.length) return { outputs, diagnostics };
  for (const target of targets) {
    const scope = `${brain.env === "default" ? "" : `${brain.env}/`}${target.name}/`;
    const options = (brain.targetOptions[target.name] ?? {}) as Record<string, unknown>;
    const { module: _module, ...rest } = options;
    let optionErrors: Diagnostic[];
    try {
      optionErrors = await checkOptions(target, rest, locate);
    } catch (e) {
      // ajv cannot compile the target's optionsSchema: a broken target, not a bug in brainc.
      diagnostics.push(diagnostic("BRN502", `target ${JSON.stringify(target.name)} has an invalid optionsSchema: ${(e as Error).message}`));
      continue;
    }
    diagnostics.push(...optionErrors);
    if (optionErrors.length) continue;
    let files: OutputFile[];
    try {
      files = await target.emit(brain, rest, { report: (d) => diagnostics.push(d), previous: (path, key) => previous(scope + path, key) });
    } catch (e) {
      diagnostics.push(diagnostic("BRN505", `target ${JSON.stringify(target.name)} failed: ${(e as Error).message}`));
      continue;
    }
    if (!Array.isArray(files) || !files.every((f) => typeof f?.path === "string" && typeof f.contents === "string")) {
      diagnostics.push(diagnostic("BRN505", `target ${JSON.stringify(target.name)} failed: emit returned something other than a list of { path, contents } strings`));
      continue;
    }
    const seen = new Set<string>();
    for (const f of files) {
      if (!isSafeRelativePath(f.path) || seen.has(f.path)) diagnostics.push(diagnostic("BRN504", `target ${JSON.stringify(target.name)} emitted ${seen.has(f.path) ? "twice" : "an unsafe path"}: ${JSON.stringify(f.path)}`));
      seen.add(f.path);
    }
    if (target.check) {
      try {
        diagnostics.push(...(await target.check(files, rest)));
      } catch (e) {
        diagnostics.push(diagnostic("BRN505", `target ${JSON.stringify(target.name)} check failed: ${(e as Error).message}`));
      }
    }
    outputs.push({ target: target.name, scope, files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => ({ path: scope + f.path, contents: f.contents, ...(typeof f.key === "string" && { key: f.key }) })) });
  }
  return { outputs, diagnostics };
}
