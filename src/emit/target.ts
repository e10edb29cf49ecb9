import { readFileSync } from "node:fs";
import { packagePath } from "../package-root.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Brain } from "../link/model.js";

/** One file a target writes, in memory. */
export interface OutputFile {
  /** Path relative to the target's output folder, "/"-separated, never absolute, never `..`. */
  path: string;
  /** UTF-8 text; LF line endings and a trailing newline by convention. */
  contents: string;
  /**
   * Optional cache key: a digest of everything `contents` is made from, generator included. brainc records
   * it in the output folder's manifest, and a later build may hand the contents back through
   * {@link EmitContext.previous} instead of the target computing them again.
   */
  key?: string;
}

/** What a target can do besides returning files: report diagnostics (for example BRN509 target limits). */
export interface EmitContext {
  report(diagnostic: Diagnostic): void;
  /**
   * The contents of `path` (target-relative) as an earlier build wrote it with the same `key`
   * ({@link OutputFile.key}), when the file is still exactly as written; undefined otherwise, and always
   * when the build must regenerate everything (`build --check`, builds in memory such as `diff` and the
   * tests). Lets a target skip regenerating an expensive file whose inputs did not change, as tsc's
   * incremental builds do.
   */
  previous(path: string, key: string): string | undefined;
}

/**
 * A compilation target: a pure function of the linked brain (see shared/design/architecture.md).
 * Built-in targets live in `targets/<name>/index.ts`; third-party ones are modules whose default export
 * is a Target (`brainc build --target ./my-target.js`, or brain.yaml `targets.<name>.module`).
 */
export interface Target<Options = unknown> {
  /**
   * Output folder name and `--target` name, e.g. "openclaw": an id (`^[a-z][a-z0-9-]{0,62}$`, like a
   * brain id), unique among the targets of a build; a third-party target takes neither a built-in
   * target's name nor an overlay's, and one configured under brain.yaml `targets.<name>` is named `<name>`.
   */
  name: string;
  /** JSON Schema (draft-07) of brain.yaml `targets.<name>`; validated before `emit` runs. */
  optionsSchema: object;
  /** Produces the files; must be deterministic and must not touch the file system or the network. */
  emit(brain: Brain, options: Options, context: EmitContext): OutputFile[] | Promise<OutputFile[]>;
  /** Validates the output against the runtime's own format (its JSON Schema, validator, …). */
  check?(files: OutputFile[], options: Options): Diagnostic[] | Promise<Diagnostic[]>;
}

let brainSchema: { properties: { targets: { properties: Record<string, object> } } } | undefined;

/**
 * The options schema of a built-in target: its block in schemas/brain.schema.json (`targets.<name>`),
 * which is also what editors complete. Read once per process.
 */
export function builtinOptionsSchema(name: string): object {
  brainSchema ??= JSON.parse(readFileSync(packagePath("schemas/brain.schema.json"), "utf8"));
  return brainSchema!.properties.targets.properties[name];
}
