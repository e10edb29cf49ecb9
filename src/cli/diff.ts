import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { brainAtRef, GitError } from "../diff/git.js";
import { formatDiff, type DiffFormat } from "../diff/format.js";
import { diffBuilds, type BuildSnapshot } from "../diff/semantic.js";
import { buildInMemory } from "../emit/build.js";
import { printDiagnostics, type Io } from "./report.js";

export interface DiffOptions {
  brain: string;
  /** The git ref to compare with; default "HEAD". */
  against: string;
  target: string[];
  env?: string;
  format: DiffFormat;
  detailedExitcode?: boolean;
}

/** Exit codes of `brainc diff --detailed-exitcode` (Terraform's): 0 no change, 1 error of any kind, 2 changes. */
export const DIFF_EXIT = { same: 0, error: 1, changed: 2 } as const;

/**
 * `brainc diff`: builds the brain as it is at `--against` (read from git objects into a temporary folder)
 * and as it is in the work tree, and prints the semantic difference ({@link diffBuilds}) on stdout.
 * Exit 0; on errors the codes of the other commands: 2 (BRN901) when git cannot give the brain at the ref
 * (not a git work tree, a ref that names no commit), 1 when a side does not build (its diagnostics are
 * printed, those of the ref's side with `<ref>:<path>` file names). With --detailed-exitcode: 0 no change,
 * 2 changes, 1 any error (2 must only ever mean changes).
 */
export async function diffCommand(options: DiffOptions, io: Io): Promise<number> {
  const failed = (code: number) => (options.detailedExitcode ? DIFF_EXIT.error : code);
  const root = resolve(io.cwd, options.brain);
  let base;
  try {
    base = brainAtRef(root, options.against);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    return failed(printDiagnostics(io, [diagnostic("BRN901", `cannot read the brain at ${JSON.stringify(options.against)}: ${e.message}`, { hint: e.hint ?? "run brainc diff inside a git work tree and give --against a branch, tag or commit" })], { format: "text" }));
  }
  try {
    const selection = { target: options.target, env: options.env };
    const empty: BuildSnapshot = { brains: {}, outputs: [] };
    const before = base.root ? await buildInMemory(base.root, selection, io.cwd) : { ...empty, diagnostics: [] as Diagnostic[] };
    const after = await buildInMemory(root, selection, io.cwd);
    let code: number = DIFF_EXIT.same;
    if (hasErrors(before.diagnostics)) {
      const shown = before.diagnostics.map((d) => (d.file ? { ...d, file: `${options.against}:${base.repoPath ? `${base.repoPath}/` : ""}${d.file}` } : d));
      code = printDiagnostics(io, shown, { format: "text" });
      io.stderr(`brainc diff: the brain at ${options.against} does not build\n`);
    }
    if (hasErrors(after.diagnostics)) code = Math.max(code, printDiagnostics(io, after.diagnostics, { format: "text", brainRoot: root }));
    if (hasErrors(before.diagnostics) || hasErrors(after.diagnostics)) return failed(code);
    const diff = diffBuilds(before, after);
    io.stdout(formatDiff(diff, options.format, { before: options.against, after: "working tree" }));
    return options.detailedExitcode && diff.changed ? DIFF_EXIT.changed : DIFF_EXIT.same;
  } finally {
    base.cleanup();
  }
}
