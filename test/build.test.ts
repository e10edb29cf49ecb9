/**
 * `brainc build` and the output folder (src/emit/write.ts, src/cli/build.ts): only changed files are
 * written; a second run writes nothing; `--check` writes nothing and exits 1 on drift; stale files brainc
 * wrote are removed and nothing else ever is; a failed build leaves the output untouched; the output is
 * byte-identical across runs and across directory enumeration order.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as realFs from "node:fs";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildInMemory } from "../src/emit/build.js";
import { LOCK_WAIT_MS } from "../src/emit/lock.js";
import { MANIFEST, planOutput } from "../src/emit/write.js";
import { repoRoot, runCli, tempCopy } from "./helpers.js";

/** When set, every readdirSync (the loader's and everyone's) returns its entries in this order. */
let reorder: (<T>(entries: T[]) => T[]) | undefined;
/** When set, renameSync fails once this many more renames have happened (a crash in the middle of a build). */
let renameBudget: number | undefined;
/** How many listings were reordered (so the determinism test knows the mock took effect). */
let reordered = 0;

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((...args: Parameters<typeof fs.readdirSync>) => {
    const entries = fs.readdirSync(...args) as unknown[];
    if (!reorder) return entries;
    reordered++;
    return reorder(entries);
  }) as typeof fs.readdirSync;
  const renameSync = ((...args: Parameters<typeof fs.renameSync>) => {
    if (renameBudget !== undefined && renameBudget-- <= 0) throw new Error("simulated crash in the middle of a build");
    return fs.renameSync(...args);
  }) as typeof fs.renameSync;
  return { ...fs, readdirSync, renameSync, default: { ...fs, readdirSync, renameSync } };
});

const minimal = join(repoRoot, "test/fixtures/valid/minimal");
const echoTarget = join(repoRoot, "test/fixtures/targets/echo-target.mjs");

/** Every file under `dir` (brain-relative, sorted) with its bytes and modification time. */
function snapshot(dir: string): Record<string, { text: string; mtimeMs: number; ino: number }> {
  const out: Record<string, { text: string; mtimeMs: number; ino: number }> = {};
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const e of realFs.readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else {
        const st = statSync(join(dir, path));
        out[path] = { text: readFileSync(join(dir, path), "utf8"), mtimeMs: st.mtimeMs, ino: st.ino };
      }
    }
  };
  walk("");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let work: { dir: string; cleanup: () => void };
let brain: string;
let out: string;
beforeEach(() => {
  work = tempCopy(minimal);
  brain = work.dir;
  out = join(brain, ".out");
});
afterEach(() => {
  reorder = undefined;
  renameBudget = undefined;
  work.cleanup();
});

const build = (...extra: string[]) => runCli(["build", "--brain", ".", "--out", ".out", "--target", "supervisor", ...extra], brain);

describe("build writes only what changed", () => {
  it("writes every target's files and a manifest, for the base brain and each overlay", async () => {
    const { code, stderr } = await build();
    expect(code, stderr).toBe(0);
    expect(Object.keys(snapshot(out))).toEqual([MANIFEST, "prod/supervisor/brain.ts", "prod/supervisor/bundle.json", "supervisor/brain.ts", "supervisor/bundle.json"]);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8"));
    expect(Object.keys(manifest.files)).toEqual(["prod/supervisor/brain.ts", "prod/supervisor/bundle.json", "supervisor/brain.ts", "supervisor/bundle.json"]);
    expect(stderr).toMatch(/wrote 4 files/);
  });

  it("a second run writes no file (same mtimes and inodes) and says so", async () => {
    expect((await build()).code).toBe(0);
    const before = snapshot(out);
    await sleep(30);
    const second = await build();
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/no changes/);
    expect(snapshot(out)).toEqual(before);
  });

  it("after an edit, rewrites only the files whose contents changed", async () => {
    expect((await build()).code).toBe(0);
    const before = snapshot(out);
    await sleep(30);
    // The prod overlay replaces the watcher's schedules; a change there touches only prod's bundle.
    writeFileSync(join(brain, "overlays/prod.yaml"), readFileSync(join(brain, "overlays/prod.yaml"), "utf8").replace("every: 1m", "every: 2m"));
    expect((await build()).code).toBe(0);
    const after = snapshot(out);
    const changed = Object.keys(after).filter((p) => after[p].text !== before[p]?.text || after[p].mtimeMs !== before[p]?.mtimeMs);
    expect(changed).toEqual([MANIFEST, "prod/supervisor/bundle.json"]);
  });

  it("output files end in a newline and use LF only", async () => {
    expect((await build()).code).toBe(0);
    for (const [path, f] of Object.entries(snapshot(out))) {
      expect(f.text.endsWith("\n"), path).toBe(true);
      expect(f.text.includes("\r"), path).toBe(false);
    }
  });
});

describe("defaults", () => {
  it("`brainc build` compiles ./brain into ./generated; a second run writes nothing; --check is 0, then 1 after a prompt edit", async () => {
    const cwd = join(brain, ".project");
    realFs.cpSync(minimal, join(cwd, "brain"), { recursive: true });
    const first = await runCli(["build", "--target", "supervisor"], cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/wrote 4 files in generated /);
    const before = snapshot(join(cwd, "generated"));
    expect(Object.keys(before)).toContain("supervisor/bundle.json");
    await sleep(30);
    expect((await runCli(["build", "--target", "supervisor"], cwd)).stderr).toMatch(/no changes/);
    expect(snapshot(join(cwd, "generated"))).toEqual(before);
    expect((await runCli(["build", "--target", "supervisor", "--check"], cwd)).code).toBe(0);
    writeFileSync(join(cwd, "brain/prompts/_rules.md"), "Stop after {{agent.policy.loop.maxSteps}} steps, always.\n");
    expect((await runCli(["build", "--target", "supervisor", "--check"], cwd)).code).toBe(1);
    expect(snapshot(join(cwd, "generated"))).toEqual(before);
  });
});

describe("--check and --dry-run", () => {
  it("--check exits 0 on a fresh build and 1 after a prompt is edited, writing nothing", async () => {
    expect((await build()).code).toBe(0);
    const clean = await build("--check");
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stderr).toMatch(/up to date/);

    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8").replace("You are", "You, the agent, are"));
    const before = snapshot(out);
    await sleep(30);
    const drift = await build("--check", "--format", "json");
    expect(drift.code).toBe(1);
    const diagnostics = JSON.parse(drift.stdout) as { code: string; message: string }[];
    expect(diagnostics.map((d) => d.code)).toEqual(["BRN507", "BRN507"]);
    expect(diagnostics.map((d) => d.message).join("\n")).toMatch(/\.out\/prod\/supervisor\/bundle\.json is out of date[\s\S]*\.out\/supervisor\/bundle\.json is out of date/);
    expect(snapshot(out)).toEqual(before);
  });

  it("--check lists missing and stale files", async () => {
    const empty = await build("--check", "--format", "json");
    expect(empty.code).toBe(1);
    expect((JSON.parse(empty.stdout) as { message: string }[]).filter((d) => /is missing/.test(d.message))).toHaveLength(4);
    expect(existsSync(out)).toBe(false);

    mkdirSync(join(brain, "agents"), { recursive: true });
    writeFileSync(join(brain, "agents/helper.yaml"), "name: Helper\nprompt: watcher\npersona: personas/calm\n");
    const echo = ["--target", echoTarget];
    expect((await build(...echo)).code).toBe(0);
    rmSync(join(brain, "agents/helper.yaml"));
    const stale = await build(...echo, "--check", "--format", "json");
    expect(stale.code).toBe(1);
    const messages = (JSON.parse(stale.stdout) as { message: string }[]).map((d) => d.message);
    expect(messages.filter((m) => /helper\.md is stale/.test(m))).toHaveLength(2);
  });

  it("--dry-run lists the plan and writes nothing", async () => {
    const dry = await build("--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/\+ supervisor\/bundle\.json/);
    expect(dry.stderr).toMatch(/4 to add, 0 to change, 0 to remove/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("brainc only deletes and overwrites its own files", () => {
  it("removes stale files it wrote (and their empty folders), and leaves foreign files alone", async () => {
    writeFileSync(join(brain, "agents/helper.yaml"), "name: Helper\nprompt: watcher\npersona: personas/calm\n");
    expect((await build("--target", echoTarget)).code).toBe(0);
    expect(existsSync(join(out, "echo/agents/helper.md"))).toBe(true);
    mkdirSync(join(out, "echo/notes"), { recursive: true });
    writeFileSync(join(out, "echo/notes/mine.txt"), "my own notes\n");
    writeFileSync(join(out, "echo/agents/also-mine.md"), "not brainc's\n");

    rmSync(join(brain, "agents/helper.yaml"));
    const { code, stderr } = await build("--target", echoTarget);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/removed 2/);
    expect(existsSync(join(out, "echo/agents/helper.md"))).toBe(false);
    expect(existsSync(join(out, "prod/echo/agents/helper.md"))).toBe(false);
    expect(readFileSync(join(out, "echo/notes/mine.txt"), "utf8")).toBe("my own notes\n");
    expect(readFileSync(join(out, "echo/agents/also-mine.md"), "utf8")).toBe("not brainc's\n");
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8"));
    expect(Object.keys(manifest.files).some((p) => p.includes("helper"))).toBe(false);
  });

  it("a build of some targets or one env never removes the files of the others", async () => {
    expect((await build("--target", echoTarget)).code).toBe(0);
    const all = Object.keys(snapshot(out)).filter((p) => p !== MANIFEST);
    expect((await build()).stderr).toMatch(/no changes|wrote/);
    expect((await build("--env", "prod")).code).toBe(0);
    writeFileSync(join(brain, "overlays/prod.yaml"), readFileSync(join(brain, "overlays/prod.yaml"), "utf8").replace("every: 1m", "every: 3m"));
    const { code, stderr } = await build("--env", "prod");
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/removed/);
    expect(Object.keys(snapshot(out)).filter((p) => p !== MANIFEST)).toEqual(all);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8"));
    expect(Object.keys(manifest.files)).toEqual(all);
  });

  it("a removed overlay's files are stale for a build of every environment (not for one of --env default)", async () => {
    expect((await build()).code).toBe(0);
    expect(existsSync(join(out, "prod/supervisor/bundle.json"))).toBe(true);
    rmSync(join(brain, "overlays/prod.yaml"));
    expect((await build("--env", "default")).code).toBe(0);
    expect(existsSync(join(out, "prod/supervisor/bundle.json"))).toBe(true);
    const check = await build("--check");
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/BRN507: \.out\/prod\/supervisor\/bundle\.json is stale/);
    const { code, stderr } = await build();
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/removed 2/);
    expect(existsSync(join(out, "prod"))).toBe(false);
    expect((await build("--check")).code).toBe(0);
  });
  it("keeps a stale file that was edited by hand since brainc wrote it", async () => {
    writeFileSync(join(brain, "agents/helper.yaml"), "name: Helper\nprompt: watcher\npersona: personas/calm\n");
    expect((await build("--target", echoTarget)).code).toBe(0);
    writeFileSync(join(out, "echo/agents/helper.md"), "edited by hand\n");
    rmSync(join(brain, "agents/helper.yaml"));
    // --check counts it as drift: the build would leave it and drop it from the manifest.
    const check = await build("--target", echoTarget, "--check");
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/BRN507: .*echo\/agents\/helper\.md is stale \(brainc no longer writes it\) and was edited by hand/);
    const { code, stderr } = await build("--target", echoTarget);
    expect(code).toBe(0);
    expect(stderr).toMatch(/! echo\/agents\/helper\.md \(edited by hand/);
    expect(readFileSync(join(out, "echo/agents/helper.md"), "utf8")).toBe("edited by hand\n");
  });

  it("never overwrites a foreign file where it would write (BRN508), and then writes nothing at all", async () => {
    mkdirSync(join(out, "supervisor"), { recursive: true });
    writeFileSync(join(out, "supervisor/bundle.json"), "{ \"mine\": true }\n");
    const before = snapshot(out);
    const { code, stdout } = await build("--format", "json");
    expect(code).toBe(1);
    const diagnostics = JSON.parse(stdout) as { code: string; severity: string }[];
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["BRN508", "error"]]);
    expect(snapshot(out)).toEqual(before);
  });

  it("a foreign file where brainc needs a folder (or a folder where it needs a file) stops the build before anything is written", async () => {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "supervisor"), "my notes, not a folder\n");
    mkdirSync(join(out, "prod/supervisor/bundle.json"), { recursive: true });
    const before = snapshot(out);
    for (let run = 0; run < 2; run++) {
      const { code, stdout } = await build("--format", "json");
      expect(code).toBe(1);
      const diagnostics = JSON.parse(stdout) as { code: string; message: string }[];
      expect(diagnostics.map((d) => d.code)).toEqual(["BRN508", "BRN508", "BRN508"]);
      expect(snapshot(out)).toEqual(before);
    }
    rmSync(join(out, "supervisor"));
    rmSync(join(out, "prod"), { recursive: true });
    expect((await build()).code).toBe(0);
  });

  it("a file already holding exactly the right contents is adopted, not an error", async () => {
    expect((await build()).code).toBe(0);
    const bundle = readFileSync(join(out, "supervisor/bundle.json"), "utf8");
    rmSync(out, { recursive: true });
    mkdirSync(join(out, "supervisor"), { recursive: true });
    writeFileSync(join(out, "supervisor/bundle.json"), bundle);
    expect((await build()).code).toBe(0);
  });
});

describe("failed builds", () => {
  it("a brain with errors leaves the output untouched", async () => {
    expect((await build()).code).toBe(0);
    const before = snapshot(out);
    await sleep(30);
    writeFileSync(join(brain, "agents/watcher.yaml"), readFileSync(join(brain, "agents/watcher.yaml"), "utf8").replace("search]", "serch]"));
    const { code, stdout } = await build();
    expect(code).toBe(1);
    expect(stdout).toMatch(/BRN204/);
    expect(snapshot(out)).toEqual(before);
  });

  it("a target that throws (BRN505) leaves the output untouched, including the other targets' files", async () => {
    expect((await build()).code).toBe(0);
    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8").replace("You are", "You really are"));
    const before = snapshot(out);
    const { code, stdout } = await build("--target", join(repoRoot, "test/fixtures/targets/throwing-target.mjs"), "--format", "json");
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { code: string }[]).map((d) => d.code)).toContain("BRN505");
    expect(snapshot(out)).toEqual(before);
  });

  it("an overlay named \"default\" or after a target (BRN403) builds nothing and removes nothing, --env default included", async () => {
    expect((await build()).code).toBe(0);
    const before = snapshot(out);
    for (const name of ["default", "supervisor"]) {
      writeFileSync(join(brain, `overlays/${name}.yaml`), readFileSync(join(brain, "overlays/prod.yaml")));
      for (const env of [[], ["--env", "default"]]) {
        const { code, stdout } = await build("--format", "json", ...env);
        expect(code, `${name} ${env}`).toBe(1);
        expect((JSON.parse(stdout) as { code: string; file: string }[]).map((d) => [d.code, d.file])).toEqual([["BRN403", `overlays/${name}.yaml`]]);
        expect(snapshot(out)).toEqual(before);
      }
      rmSync(join(brain, `overlays/${name}.yaml`));
    }
  });

  it("planOutput refuses files on brainc's own files (BRN504), whoever passes them", () => {
    const own = [MANIFEST, ".brainc-journal.json", ".brainc-journal.json.tmp", ".brainc-staging/0", ".brainc-manifest.json/x"];
    const { plan, diagnostics } = planOutput(out, [...own.map((path) => ({ path, contents: "x\n" })), { path: "a/.brainc-manifest.json", contents: "x\n" }], ["a/"]);
    expect(diagnostics.map((d) => d.code)).toEqual(own.map(() => "BRN504"));
    expect(diagnostics[0].message).toMatch(/would overwrite one of brainc's own files/);
    expect(plan.added).toEqual(["a/.brainc-manifest.json"]);
  });

  it("never deletes through manifest entries that leave the output folder, even with the right hash", async () => {
    expect((await build()).code).toBe(0);
    // A manifest is a file anyone can edit or commit: these entries name files outside .out, with their real hashes.
    mkdirSync(join(brain, ".victims"));
    const victims = { "supervisor/../../.victims/a.txt": join(brain, ".victims/a.txt"), [join(brain, ".victims/b.txt")]: join(brain, ".victims/b.txt") };
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8"));
    for (const [entry, file] of Object.entries(victims)) {
      writeFileSync(file, "keep me\n");
      manifest.files[entry] = createHash("sha256").update("keep me\n").digest("hex");
    }
    // The same file spelt another way, which the build does not produce under that name: not a stale file of brainc's.
    manifest.files["supervisor//bundle.json"] = manifest.files["supervisor/bundle.json"];
    writeFileSync(join(out, MANIFEST), JSON.stringify(manifest));
    const { code, stderr } = await build();
    expect(code, stderr).toBe(0);
    for (const file of Object.values(victims)) expect(readFileSync(file, "utf8")).toBe("keep me\n");
    expect(existsSync(join(out, "supervisor/bundle.json"))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(out, MANIFEST), "utf8")).files)).toEqual(["prod/supervisor/brain.ts", "prod/supervisor/bundle.json", "supervisor/brain.ts", "supervisor/bundle.json"]);
  });
  it("refuses a journal that names paths outside the output folder, and changes nothing", async () => {
    expect((await build()).code).toBe(0);
    mkdirSync(join(brain, ".victims"));
    writeFileSync(join(brain, ".victims/a.txt"), "keep me\n");
    const journals = [
      { renames: [[".brainc-staging/0", "../.victims/a.txt"]], deletes: [] },
      { renames: [], deletes: [["supervisor/../../.victims/a.txt", createHash("sha256").update("keep me\n").digest("hex")]], manifest: { brainc: 1, files: {} } },
      { renames: [["../.victims/a.txt", "supervisor/stolen.txt"]], deletes: [] },
      "not json",
    ];
    for (const journal of journals) {
      writeFileSync(join(out, ".brainc-journal.json"), typeof journal === "string" ? journal : JSON.stringify(journal));
      const before = snapshot(brain);
      const { code, stdout, stderr } = await build();
      expect(code).toBe(1);
      expect(stdout).toMatch(/BRN506.*\.brainc-journal\.json is not one that brainc wrote/);
      expect(stdout + stderr).not.toMatch(/^\s+at /m);
      expect(snapshot(brain)).toEqual(before);
    }
  });
  it("an output folder that cannot be written is BRN506, not a stack trace", async () => {
    writeFileSync(join(brain, ".blocker"), "a file where the output folder should be\n");
    const { code, stdout, stderr } = await runCli(["build", "--brain", ".", "--out", ".blocker/out", "--target", "supervisor"], brain);
    expect(code).toBe(1);
    expect(stdout).toMatch(/BRN506: cannot write \.blocker\/out: a file is where a folder must be \(ENOTDIR: /);
    expect(stdout + stderr).not.toMatch(/^\s+at /m);
    const onFile = await runCli(["build", "--brain", ".", "--out", ".blocker", "--target", "supervisor"], brain);
    expect(onFile.stdout).toMatch(/BRN506: cannot write \.blocker: a file is where a folder must be \(EEXIST: /);
  });
});

describe("a write that fails before the commit point", () => {
  it("leaves the output folder exactly as it was: no staged copies, no journal", async () => {
    expect((await build()).code).toBe(0);
    const before = snapshot(out);
    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8") + "\nOne more line.\n");
    renameBudget = 0; // the journal's rename, the commit point, fails (as a full disk or a lost mount would)
    const failed = await build();
    renameBudget = undefined;
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/BRN506.*simulated crash/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe("interrupted builds", () => {
  it("the next build finishes an interrupted one and then builds what the brain says now", async () => {
    const prompt = join(brain, "prompts/watcher.md");
    const oldPrompt = readFileSync(prompt, "utf8");
    expect((await build()).code).toBe(0);
    const old = snapshot(out);
    // Head for a new version and crash after the commit point: the journal rename and one file move.
    writeFileSync(prompt, oldPrompt.replace("You are", "From now on you are"));
    renameBudget = 2;
    const crashed = await build();
    renameBudget = undefined;
    expect(crashed.code).toBe(1);
    expect(crashed.stdout).toMatch(/BRN506.*simulated crash/);
    expect(existsSync(join(out, ".brainc-journal.json"))).toBe(true);
    expect((await build("--check")).code).toBe(1);
    // Now the brain says "old" again: the result must be exactly the old output.
    writeFileSync(prompt, oldPrompt);
    const { code, stderr } = await build();
    expect(code, stderr).toBe(0);
    const texts = (snap: ReturnType<typeof snapshot>) => Object.fromEntries(Object.entries(snap).map(([p, f]) => [p, f.text]));
    expect(texts(snapshot(out))).toEqual(texts(old));
    expect((await build("--check")).code).toBe(0);
  });
});

describe("two builds into one output folder", () => {
  it("a build waits for the one holding the folder's lock, and then fails (BRN506) naming it, writing nothing", async () => {
    expect((await build()).code).toBe(0);
    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8") + "\nOne more line.\n");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      writeFileSync(join(out, ".brainc-lock"), String(holder.pid));
      const before = snapshot(out);
      const started = Date.now();
      const { code, stdout } = await build();
      expect(code).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(LOCK_WAIT_MS);
      expect(stdout).toMatch(new RegExp(`BRN506.*another brainc build \\(pid ${holder.pid}\\) is writing this output folder`));
      expect(snapshot(out)).toEqual(before);
    } finally {
      holder.kill();
    }
  }, 20_000);
  it("takes over the lock of a build that is gone (killed), and releases its own", async () => {
    expect((await build()).code).toBe(0);
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(out, ".brainc-lock"), gone);
    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8") + "\nOne more line.\n");
    const { code, stdout } = await build();
    expect(code, stdout).toBe(0);
    expect(existsSync(join(out, ".brainc-lock"))).toBe(false);
    expect(readFileSync(join(out, "supervisor/bundle.json"), "utf8")).toContain("One more line.");
  });
  it("a lock without a pid is a killed build's, and so is a lock file it wrote under its own name but never linked: both go", async () => {
    // Locks are written as .brainc-lock.<pid> and linked into place, so a kill never leaves an empty lock;
    // an empty or garbled one (an older brainc, a truncated file) must not block every later build.
    expect((await build()).code).toBe(0);
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(out, ".brainc-lock"), "");
    writeFileSync(join(out, `.brainc-lock.${gone}`), `${gone}\n`);
    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8") + "\nOne more line.\n");
    const { code, stdout } = await build();
    expect(code, stdout).toBe(0);
    expect(readdirSync(out).filter((f) => f.startsWith(".brainc-lock"))).toEqual([]);
  });
});

describe("interrupted builds, finished by a later build of another brain", () => {
  const agent = (name: string) => `name: ${name}\nprompt: watcher\npersona: personas/calm\n`;
  it("never deletes a file edited since the interruption, and owns the files the interrupted build wrote (no BRN508)", async () => {
    writeFileSync(join(brain, "agents/helper.yaml"), agent("Helper"));
    expect((await build("--target", echoTarget)).code).toBe(0);
    // Next version: helper goes, "second" comes; killed after the commit point (the journal and echo/agents/second.md moved).
    rmSync(join(brain, "agents/helper.yaml"));
    writeFileSync(join(brain, "agents/second.yaml"), agent("Second"));
    renameBudget = 2;
    expect((await build("--target", echoTarget)).code).toBe(1);
    renameBudget = undefined;
    expect(existsSync(join(out, "echo/agents/second.md"))).toBe(true);
    // Meanwhile the user edits the file the interrupted build was removing, and the brain changes again.
    writeFileSync(join(out, "echo/agents/helper.md"), "my notes\n");
    writeFileSync(join(brain, "agents/second.yaml"), agent("Second, renamed"));
    const { code, stdout, stderr } = await build("--target", echoTarget);
    expect(code, stdout + stderr).toBe(0);
    expect(readFileSync(join(out, "echo/agents/helper.md"), "utf8")).toBe("my notes\n");
    expect(readFileSync(join(out, "echo/agents/second.md"), "utf8")).toContain("Second, renamed");
    expect(existsSync(join(out, ".brainc-journal.json"))).toBe(false);
  });
});

describe("reusing expensive output (OutputFile.key, EmitContext.previous)", () => {
  const manifestOf = () => JSON.parse(readFileSync(join(out, MANIFEST), "utf8")) as { files: Record<string, string>; keys?: Record<string, string> };
  const brainTs = (root = brain, previous?: import("../src/emit/write.js").PreviousOutput) =>
    buildInMemory(root, { target: ["supervisor"], env: "default" }, root, { previous }).then((r) => r.outputs[0].files.find((f) => f.path === "supervisor/brain.ts")!);

  it("the manifest records brain.ts's key, and only for files that have one", async () => {
    expect((await build()).code).toBe(0);
    const { keys } = manifestOf();
    expect(Object.keys(keys ?? {})).toEqual(["prod/supervisor/brain.ts", "supervisor/brain.ts"]);
    expect(keys!["supervisor/brain.ts"]).toBe((await brainTs()).key);
  });

  it("a build takes brain.ts from the output folder only when its key matches and the file is as written", async () => {
    expect((await build()).code).toBe(0);
    const { key, contents } = await brainTs();
    // A recorded key and intact file: the previous contents come back instead of being generated.
    const marker = contents + "// reused\n";
    expect((await brainTs(brain, (path, k) => (path === "supervisor/brain.ts" && k === key ? marker : undefined))).contents).toBe(marker);
    // previousOutputs() over the real folder: reused when intact, regenerated when edited by hand.
    const { previousOutputs } = await import("../src/emit/write.js");
    expect(previousOutputs(out)("supervisor/brain.ts", key!)).toBe(contents);
    expect(previousOutputs(out)("supervisor/brain.ts", "another key")).toBeUndefined();
    writeFileSync(join(out, "supervisor/brain.ts"), contents.replace("Do not edit.", "Edited."));
    expect(previousOutputs(out)("supervisor/brain.ts", key!)).toBeUndefined();
    const rebuilt = await build();
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(readFileSync(join(out, "supervisor/brain.ts"), "utf8")).toBe(contents);
  });

  it("a build that changes only the manifest (its keys) says so", async () => {
    expect((await build()).code).toBe(0);
    const manifest = manifestOf();
    manifest.keys!["supervisor/brain.ts"] = "0".repeat(64);
    writeFileSync(join(out, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    const second = await build();
    expect(second.stderr).toMatch(/updated \.brainc-manifest\.json/);
    expect((await build()).stderr).toMatch(/no changes/);
  });

  it("--check regenerates brain.ts: a hand-edited brain.ts with a forged manifest is drift, not up to date", async () => {
    expect((await build()).code).toBe(0);
    const path = join(out, "supervisor/brain.ts");
    const forged = readFileSync(path, "utf8") + "export const injected = true;\n";
    writeFileSync(path, forged);
    const manifest = manifestOf();
    manifest.files["supervisor/brain.ts"] = createHash("sha256").update(forged).digest("hex"); // the key is left as it was
    writeFileSync(join(out, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    const check = await build("--check");
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/supervisor\/brain\.ts is out of date/);
  });

  it("the key follows the ids and tool schemas, not the prompts", async () => {
    const before = (await brainTs()).key;
    writeFileSync(join(brain, "prompts/watcher.md"), readFileSync(join(brain, "prompts/watcher.md"), "utf8") + "\nOne more line.\n");
    expect((await brainTs()).key).toBe(before);
    const tool = join(brain, "tools/http-check.yaml");
    writeFileSync(tool, readFileSync(tool, "utf8").replace("url: { type: string, format: uri }", "url: { type: string, format: uri, description: Changed. }"));
    const changed = await brainTs();
    expect(changed.key).not.toBe(before);
    expect(changed.contents).toMatch(/Changed\./);
  });
});

describe("determinism", () => {
  const files = async (root: string) => {
    const { outputs, diagnostics } = await buildInMemory(root, { target: ["supervisor", echoTarget] }, root);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return outputs.flatMap((o) => o.files);
  };

  it("the same brain gives byte-identical output on every run", async () => {
    const a = await files(brain);
    const b = await files(brain);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(4);
  });

  it("directory enumeration order does not matter (reversed and shuffled readdir)", async () => {
    const reference = await files(brain);
    reorder = <T>(entries: T[]) => [...entries].reverse();
    expect(await files(brain)).toEqual(reference);
    expect(reordered, "the loader lists folders with readdirSync").toBeGreaterThan(5);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 3; round++) {
      reorder = <T>(entries: T[]) => entries.map((e) => [random(), e] as const).sort((x, y) => x[0] - y[0]).map(([, e]) => e);
      expect(await files(brain)).toEqual(reference);
    }
  });

  it("the output does not depend on where the brain lives", async () => {
    const other = tempCopy(minimal);
    try {
      expect(await files(other.dir)).toEqual(await files(brain));
    } finally {
      other.cleanup();
    }
  });
});
