import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { fails, sortDiagnostics } from "../diagnostics/diagnostic.js";
import { formatDiagnostics, plural, summaryLine, type Format } from "../diagnostics/format.js";
import { VERSION } from "../version.js";

/** Where a command writes; injectable for tests. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
}

/** The real process: stdout, stderr, the working directory, colour when stdout is a terminal and NO_COLOR is unset. */
export const processIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});

/** Exit codes: 0 clean, 1 errors (or warnings with --strict), 2 usage or internal error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Prints diagnostics in the chosen format (text adds a summary line on stderr) and returns the exit
 * code they imply.
 */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], options: { format: Format; brainRoot?: string; strict?: boolean; verbose?: boolean }): number {
  const all = sortDiagnostics(diagnostics.map((d) => (d.code === "BRN007" && options.brainRoot ? { ...d, hint: brainRootHint(io, options.brainRoot) ?? d.hint } : d)));
  // `info` (what a target cannot express and what brainc did instead) is listed with --verbose, and
  // always in the machine-readable formats; otherwise it is counted in the summary line.
  const showInfo = options.verbose || options.format === "json" || options.format === "sarif";
  const sorted = showInfo ? all : all.filter((d) => d.severity !== "info");
  const hiddenInfo = all.length - sorted.length;
  const root = options.brainRoot;
  const displayPath = (file: string) => (root ? relative(io.cwd, join(root, file)) || file : file);
  const source = (file: string) => {
    try {
      return root ? readFileSync(join(root, file), "utf8") : undefined;
    } catch {
      return undefined;
    }
  };
  const text = formatDiagnostics(sorted, options.format, { displayPath, source, pretty: io.isTTY, version: VERSION });
  if (text || options.format !== "text") io.stdout(text);
  if (options.format === "text" && sorted.length) io.stderr(summaryLine(sorted) + "\n");
  if (options.format === "text" && hiddenInfo) io.stderr(`(${plural(hiddenInfo, "info diagnostic")} about what targets cannot express: --verbose lists them)\n`);
  if (sorted.some((d) => d.code === "BRN900" || d.code === "BRN901")) return EXIT.usage;
  if (fails(all, options.strict)) return EXIT.failed;
  return EXIT.ok;
}

/**
 * For BRN007 (no brain.yaml in `root`): the brain nearest to where brainc runs, as tsc finds tsconfig.json:
 * the folder above `root`, the current folder or one of its parents when it holds brain.yaml (`brainc
 * validate` run inside the brain, where the default `--brain brain` looks one level too deep), or a
 * parent's `brain/` folder (run in a subfolder of the project). The --brain that would find it; else undefined.
 */
function brainRootHint(io: Io, root: string): string | undefined {
  const candidates = [dirname(root)];
  for (let dir = io.cwd; ; dir = dirname(dir)) {
    candidates.push(dir, join(dir, "brain"));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find((d) => d !== root && existsSync(join(d, "brain.yaml")));
  if (found === undefined) return undefined;
  const shown = relative(io.cwd, found) || ".";
  return `${shown === "." ? "this folder" : JSON.stringify(shown)} holds brain.yaml: use --brain ${shown}`;
}
