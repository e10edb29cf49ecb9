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

/** encodeURIComponent that also encodes `!'()*`, as an OpenClaw skill tells the model to encode URL values (`'` is `%27`). */
export const strictUriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Where a placeholder of an OpenClaw skill command sits, which says how the model writes its value: the
 * URL it starts (the whole URL), the rest of the URL, a `--url-query` value, a header (one that curl
 * expands: `--expand-header`), a JSON string of the body (of one that curl expands: `--expand-data-raw`),
 * or a JSON value of the body (out of quotes).
 */
export type SkillPlace = "url-start" | "url" | "query" | "header" | "expanded-header" | "body-string" | "expanded-body-string" | "body-value";

/** The curl options of skill commands that take an argument, and where a placeholder in that argument is. */
const SKILL_OPTION_PLACE: Record<string, SkillPlace | "none"> = {
  "-X": "none",
  "--max-time": "none",
  "--variable": "none",
  "--expand-url": "url",
  "--url-query": "query",
  "--expand-url-query": "query",
  "-H": "header",
  "--expand-header": "expanded-header",
  "--data-raw": "body-string",
  "--expand-data-raw": "expanded-body-string",
};

/**
 * A value written where a placeholder sits, as an OpenClaw skill tells the model: strictly URL-encoded in
 * the URL and in `--url-query` values (as it is where the placeholder is the whole URL), JSON-escaped with
 * `'` as `\u0027` in a body string (and `{` as `\u007b` in one that curl expands), as it is for a body
 * JSON value, and without `'` in a header (and without `{`, `}` in one that curl expands).
 */
export const writeSkillValue: Record<SkillPlace, (v: string) => string> = {
  "url-start": (v) => v,
  url: strictUriEncode,
  query: strictUriEncode,
  header: (v) => v.replace(/'/g, ""),
  "expanded-header": (v) => v.replace(/['{}]/g, ""),
  "body-string": (v) => JSON.stringify(v).slice(1, -1).replace(/'/g, "\\u0027"),
  "expanded-body-string": (v) => JSON.stringify(v).slice(1, -1).replace(/'/g, "\\u0027").replace(/\{/g, "\\u007b"),
  "body-value": (v) => v,
};

/**
 * An OpenClaw skill command (the sh block of a SKILL.md) filled in as the skill tells the model: each
 * `{{name}}` that is not one of curl's own variables (imported with `--variable %NAME`) becomes
 * `value(name, place)` written as the skill says ({@link writeSkillValue}). Throws for a placeholder
 * where none belongs and for words not separated by one space.
 */
export function fillSkillCommand(command: string, value: (name: string, place: SkillPlace) => string): string {
  const variables = new Set([...command.matchAll(/--variable '%([A-Za-z0-9_]+)/g)].map((m) => m[1]));
  const list = command.match(/(?:'[^']*'|\\'|[^\s'\\]+)+/g) ?? [];
  if (list.join(" ") !== command) throw new Error(`not words separated by single spaces: ${command}`);
  return list
    .map((word, i) => {
      const option = SKILL_OPTION_PLACE[list[i - 1]];
      const positional = i > 0 && option === undefined && !word.startsWith("-");
      return word.replace(/\{\{(\w+)\}\}/g, (m, name: string, at: number) => {
        if (variables.has(name)) return m;
        let place: SkillPlace | "none" | undefined = positional ? "url" : option;
        if (place === "url" && at === 1) place = "url-start";
        if ((place === "body-string" || place === "expanded-body-string") && !inJsonString(word, at)) place = "body-value";
        if (place === undefined || place === "none") throw new Error(`a placeholder where none belongs: ${word}`);
        return writeSkillValue[place](value(name, place));
      });
    })
    .join(" ");
}

/**
 * Strings of one to six `pieces` drawn in sequence from `seed` by a linear congruential generator (its high
 * bits: the low ones repeat quickly), so that a seeded test that fails reproduces.
 */
export function seededStrings(seed: number, pieces: readonly string[]): () => string {
  let x = seed;
  const next = (n: number) => Math.floor(((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
  return () => Array.from({ length: 1 + next(6) }, () => pieces[next(pieces.length)]).join("");
}
