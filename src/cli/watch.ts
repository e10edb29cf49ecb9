import { relative, resolve } from "node:path";
import { countBySeverity, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { outputAmongBrainFiles, type BuildOptions } from "./build.js";
import { watchBrain, type Rebuild } from "../watch/watch.js";
import { plural } from "../diagnostics/format.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

/** The options of `brainc build`, which `--watch` shares (`--check` is refused with it). */
export type WatchCommandOptions = BuildOptions;

/** "prompts/a.md", "3 files (a, b, c)", "12 files (a, b, c, +9 more)". */
function describeChanged(changed: readonly string[]): string {
  if (changed.length === 1) return changed[0];
  const shown = changed.slice(0, 3).join(", ") + (changed.length > 3 ? `, +${changed.length - 3} more` : "");
  return `${changed.length} files (${shown})`;
}

/**
 * The line printed after each build of `brainc build --watch` (stderr), e.g.
 * `brainc watch: prompts/a.md → wrote 1, removed 0, 23 unchanged in 41 ms; 0 errors, 2 warnings`.
 */
export function summaryOf(rebuild: Rebuild): string {
  const c = countBySeverity(sortDiagnostics(rebuild.diagnostics));
  const what = rebuild.seq === 0 ? "first build" : rebuild.changed.length ? describeChanged(rebuild.changed) : "no brain file changed";
  const outcome = rebuild.plan
    ? `wrote ${rebuild.plan.added.length + rebuild.plan.changed.length}, removed ${rebuild.plan.removed.length}, ${rebuild.plan.unchanged.length} unchanged`
    : "failed; kept the last good output";
  return `brainc watch: ${what} → ${outcome} in ${rebuild.ms} ms; ${plural(c.error, "error")}, ${plural(c.warning, "warning")}`;
}

const key = (ds: readonly Diagnostic[]) => JSON.stringify(ds);

/**
 * `brainc build --watch`: builds, then rebuilds on every change under the brain until `signal` aborts
 * (the CLI aborts it on SIGINT and SIGTERM) and returns 0. Prints one summary line per build on stderr,
 * and the diagnostics when the build fails or when its warnings differ from the last ones printed.
 * `--check` and `--dry-run` are refused (BRN901, exit 2).
 */
export async function watchCommand(options: WatchCommandOptions, io: Io, signal?: AbortSignal): Promise<number> {
  if (options.check || options.dryRun) {
    return printDiagnostics(io, [diagnostic("BRN901", `--watch and ${options.check ? "--check" : "--dry-run"} cannot be combined`, { hint: "--watch writes the output on every change; run `brainc build --check` on its own" })], { format: options.format });
  }
  const root = resolve(io.cwd, options.brain);
  const out = resolve(io.cwd, options.out);
  const misplaced = outputAmongBrainFiles(root, out, options.out);
  if (misplaced) return printDiagnostics(io, [misplaced], { format: options.format });
  let shown = key([]);
  const watching = watchBrain({ root, out, cwd: io.cwd, target: options.target, env: options.env, strict: options.strict }, (rebuild) => {
    const failed = !rebuild.plan;
    if (failed || key(rebuild.diagnostics) !== shown) {
      printDiagnostics(io, rebuild.diagnostics, { format: options.format, brainRoot: root, strict: options.strict, verbose: options.verbose });
      shown = failed ? key([]) : key(rebuild.diagnostics);
    }
    io.stderr(summaryOf(rebuild) + "\n");
  });
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((done) => (stop = done));
  const onSignal = () => stop();
  if (signal) {
    if (signal.aborted) stop();
    signal.addEventListener("abort", onSignal, { once: true });
  } else {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  try {
    await Promise.race([watching.ready, stopped]);
    io.stderr(`brainc watch: watching ${relative(io.cwd, root) || "."} (Ctrl-C to stop)\n`);
    await stopped;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await watching.close();
  }
  return EXIT.ok;
}
