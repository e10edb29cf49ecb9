import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileBrain, type CompileResult } from "../src/compile.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { run } from "../src/cli/main.js";
import type { Io } from "../src/cli/report.js";
import { runTargets } from "../src/emit/run.js";
import type { OutputFile, Target } from "../src/emit/target.js";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/** The example brain. */
export const exampleBrain = join(repoRoot, "brain");
/** Focused fixture brains shared by the targets' golden tests: test/fixtures/brains/<name>/. */
export const fixtureBrain = (name: string) => join(repoRoot, "test/fixtures/brains", name);

/** Compiles a brain folder (one env) and fails the test with the diagnostics when it has errors. */
export async function compileOk(root: string, env?: string): Promise<NonNullable<CompileResult["brain"]>> {
  const result = await compileBrain(root, { env });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (!result.brain || errors.length) throw new Error(`brain ${root} has errors:\n${formatForTest(result.diagnostics)}`);
  return result.brain;
}

/** Runs one target on a brain folder in memory; returns its files (paths relative to the target folder) and diagnostics. */
export async function emitTarget(target: Target, root: string, env?: string): Promise<{ files: OutputFile[]; diagnostics: Diagnostic[] }> {
  const brain = await compileOk(root, env);
  const { outputs, diagnostics } = await runTargets(brain, [target]);
  const files = (outputs[0]?.files ?? []).map((f) => ({ path: f.path.slice(outputs[0].scope.length), contents: f.contents }));
  return { files, diagnostics };
}

export function formatForTest(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file ?? "-"}:${d.range?.start.line ?? 0}:${d.range?.start.column ?? 0} ${d.severity} ${d.code} ${d.message}`).join("\n");
}

/** Copies a folder into a fresh temp dir and returns the copy's path (removed by `cleanup`). */
export function tempCopy(src: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "brainc-test-"));
  cpSync(src, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the CLI in-process with captured output. */
export async function runCli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** Replaces `from` with `to` in `dir/file`; throws when `from` is not there (an edit that changes nothing proves nothing). */
export function patchFile(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(dir, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file}: ${from} not found`);
  writeFileSync(join(dir, file), text.replace(from, to));
}

/** The diagnostics of one env of a copy of the brain folder `root` after `edit` (the copy is removed). */
export async function diagnosticsAfterEdit(root: string, edit: (dir: string) => void, env?: string): Promise<Diagnostic[]> {
  const { dir, cleanup } = tempCopy(root);
  try {
    edit(dir);
    return (await compileBrain(dir, { env })).diagnostics;
  } finally {
    cleanup();
  }
}

/** Every brain the OpenClaw conformance run builds, as [label, folder, env]: brain/ and each test/fixtures/brains/openclaw-* (with its prod overlay). */
export function openclawBrains(): [string, string, string | undefined][] {
  return [
    ["brain/", exampleBrain, undefined],
    ...readdirSync(join(repoRoot, "test/fixtures/brains"))
      .filter((n) => n.startsWith("openclaw-"))
      .sort()
      .flatMap((n): [string, string, string | undefined][] => [[n, fixtureBrain(n), undefined], ...(existsSync(join(fixtureBrain(n), "overlays/prod.yaml")) ? [[`${n} [prod]`, fixtureBrain(n), "prod"] as [string, string, string]] : [])]),
  ];
}

/** The command of an OpenClaw SKILL.md: its fenced sh block. */
export const skillCommand = (skill: string) => /\n```sh\n([\s\S]*?)\n```\n/.exec(skill)?.[1] ?? "";

/** Whether position `at` of a JSON text (or a shell word holding one) is inside a JSON string: an odd number of unescaped `"` before it. */
export function inJsonString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    if (text[i] === "\\" && inside) i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}
