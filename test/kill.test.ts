/**
 * A killed build never leaves the output half-written (src/emit/write.ts: staging, a journal renamed
 * into place as the commit point, roll-forward by the next build). The test spawns the real CLI
 * (`node bin/brainc.js build`, from dist/, with the fixture echo target, which writes a file per agent) on a copy of a brain with many agents, kills it with SIGKILL
 * after a random delay, many times, and checks after each kill that every output file is entirely the
 * old or entirely the new version; one more complete build must then give exactly the new output.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempCopy } from "./helpers.js";

const AGENTS = 150;
const KILLS = 10;
const MIN_KILLS = 4;
const BUDGET_MS = 15_000;
/**
 * The CLI runs from a private copy of the built package (bin, dist, schemas, package.json; node_modules
 * linked), so that a `npm run build` running beside the test cannot pull files from under it.
 */
let pkg: string;
let bin: string;
const echoTarget = join(repoRoot, "test/fixtures/targets/echo-target.mjs");

/** Output files by path (journal and staging included, so that leftovers show). */
function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name), "utf8"));
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Runs a build; with `killAfterMs`, SIGKILLs it then. Resolves with its exit code or signal and its duration. */
function runBuild(brain: string, out: string, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, "build", "--brain", brain, "--out", out, "--target", echoTarget], { stdio: ["ignore", "pipe", "pipe"], env: cliEnv });
    let stderr = "";
    child.stdout.on("data", (d) => (stderr += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - started, stderr });
    });
  });
}

/** The environment of the spawned CLI: without vitest's variables (with them, built-in targets load from .ts sources). */
const cliEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));

const isBrainc = (path: string) => !path.startsWith(".brainc-");

describe("a build killed at a random moment", () => {
  let work: { dir: string; cleanup: () => void };
  let reference: { dir: string; cleanup: () => void };
  let oldTree: Map<string, string>;
  let newTree: Map<string, string>;
  let buildMs = 0;

  let oldPrompt: string;
  let newPrompt: string;

  beforeAll(async () => {
    if (!existsSync(join(repoRoot, "dist/src/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    pkg = mkdtempSync(join(tmpdir(), "brainc-pkg-"));
    for (const part of ["bin", "dist", "schemas", "package.json"]) cpSync(join(repoRoot, part), join(pkg, part), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules"), join(pkg, "node_modules"), "dir");
    bin = join(pkg, "bin/brainc.js");
    work = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
    for (let i = 0; i < AGENTS; i++) writeFileSync(join(work.dir, `agents/worker-${String(i).padStart(3, "0")}.yaml`), `name: Worker ${i}\nprompt: watcher\npersona: personas/calm\n`);
    const first = await runBuild(work.dir, join(work.dir, ".out"));
    expect(first.code, first.stderr).toBe(0);
    oldTree = readTree(join(work.dir, ".out"));
    // The new version changes every agent's instructions, so nearly every file changes.
    oldPrompt = readFileSync(join(work.dir, "prompts/watcher.md"), "utf8");
    newPrompt = oldPrompt.replace("You are", "From now on you are");
    writeFileSync(join(work.dir, "prompts/watcher.md"), newPrompt);
    reference = tempCopy(work.dir);
    const ref = await runBuild(reference.dir, join(reference.dir, ".out-ref"));
    expect(ref.code, ref.stderr).toBe(0);
    buildMs = ref.ms;
    newTree = readTree(join(reference.dir, ".out-ref"));
    expect(oldTree.size).toBeGreaterThan(2 * AGENTS);
  });

  afterAll(() => {
    if (pkg) rmSync(pkg, { recursive: true, force: true });
    work?.cleanup();
    reference?.cleanup();
  });

  it("leaves every file entirely old or entirely new after each kill, then finishes cleanly", async () => {
    const out = join(work.dir, ".out");
    const outcomes: string[] = [];
    const started = performance.now();
    // At most KILLS rounds, and no new round after BUDGET_MS (at least MIN_KILLS), so that a loaded machine stays bounded.
    // The writes happen at the end of a run. The kill time homes in on them: later after a kill that
    // came before any write, earlier after a run that finished; with some jitter around it.
    let aim = buildMs * 0.8;
    let previous = "old";
    for (let i = 0; i < KILLS && (i < MIN_KILLS || performance.now() - started < BUDGET_MS); i++) {
      // Each run heads for the version the output is not at, so that every run has files to write.
      const headsForNew = previous === "old" || (previous === "mixed" && i % 2 === 0);
      writeFileSync(join(work.dir, "prompts/watcher.md"), headsForNew ? newPrompt : oldPrompt);
      const delay = Math.round(aim * (0.9 + Math.random() * 0.2));
      const result = await runBuild(work.dir, out, delay);
      if (result.signal === null) expect(result.code, result.stderr).toBe(0);
      const tree = readTree(out);
      const brainc = [...tree.keys()].filter(isBrainc);
      const state = brainc.every((p) => tree.get(p) === oldTree.get(p)) ? "old" : brainc.every((p) => tree.get(p) === newTree.get(p)) ? "new" : "mixed";
      outcomes.push(`${headsForNew ? "→new" : "→old"} ${result.signal ?? `exit ${result.code}`}@${delay}ms:${state}${tree.has(".brainc-journal.json") ? "+journal" : ""}`);
      if (result.signal === null) aim *= 0.85;
      else if (state === previous && !tree.has(".brainc-journal.json")) aim *= 1.12;
      previous = state;
      for (const path of new Set([...oldTree.keys(), ...newTree.keys()])) {
        const actual = tree.get(path);
        expect([oldTree.get(path), newTree.get(path)], `${path} after a kill at ${delay} ms`).toContain(actual);
      }
      for (const path of tree.keys()) if (isBrainc(path)) expect(oldTree.has(path) || newTree.has(path), `unexpected file ${path}`).toBe(true);
    }
    writeFileSync(join(work.dir, "prompts/watcher.md"), newPrompt);
    const final = await runBuild(work.dir, out);
    expect(final.code, final.stderr).toBe(0);
    expect(readTree(out)).toEqual(newTree);
    // Record how the kills landed (useful when the test is tuned); at least one must have hit.
    console.info(`kill outcomes (full build ${Math.round(buildMs)} ms): ${outcomes.join(", ")}`);
    expect(outcomes.filter((o) => o.includes("SIGKILL")).length, outcomes.join(", ")).toBeGreaterThan(0);
  });
});
