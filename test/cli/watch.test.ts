import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadAndValidate } from "../../src/compile.js";
import { watchCommand } from "../../src/cli/watch.js";
import type { Io } from "../../src/cli/report.js";
import { IncrementalBrain } from "../../src/watch/incremental.js";
import { fixtureBrain, repoRoot, runCli, tempCopy } from "../helpers.js";

const echoTarget = join(repoRoot, "test/cli/echo-target.mjs");

/** An Io whose stderr lines can be awaited. */
function lineIo(cwd: string) {
  const lines: string[] = [];
  let stdout = "";
  let partial = "";
  const waiters: (() => void)[] = [];
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => {
      partial += s;
      const parts = partial.split("\n");
      partial = parts.pop()!;
      lines.push(...parts);
      waiters.splice(0).forEach((w) => w());
    },
    cwd,
    isTTY: false,
  };
  let seen = 0;
  /**
   * The next summary line ("brainc watch: … in N ms; …") that matches `want`, waiting at most `ms`.
   * Summaries that do not match are skipped: a file system may report one write as two events far
   * enough apart to make two rebuilds (the first of a half-written file); the end state is what counts.
   */
  const nextSummary = async (want = /./, ms = 15_000): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = lines.findIndex((l, k) => k >= seen && / in \d+ ms; /.test(l) && want.test(l));
      if (i >= 0) {
        seen = i + 1;
        return lines[i];
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no summary line matching ${want} within ${ms} ms; stderr so far:\n${lines.join("\n")}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  };
  return { io, lines, nextSummary, stdout: () => stdout };
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function project() {
  const tmp = tempCopy(fixtureBrain("workflow-small"));
  cleanups.push(tmp.cleanup);
  const brain = tmp.dir;
  const out = join(brain, "..", `${brain.split("/").pop()}-out`);
  cleanups.push(() => rmSync(out, { recursive: true, force: true }));
  return { brain, out, agentFile: (env: string, id: string) => join(out, env === "default" ? "" : env, "echo/agents", `${id}.md`) };
}

describe("brainc build --watch", () => {
  it("rebuilds on edits, editor saves, added, renamed and deleted files, and keeps the last good output on errors", async () => {
    const { brain, out, agentFile } = project();
    const { io, nextSummary } = lineIo(brain);
    const stop = new AbortController();
    const done = watchCommand({ brain, out, target: [echoTarget], format: "text" }, io, stop.signal);
    try {
      await nextSummary(/^brainc watch: first build → wrote 6, removed 0, 0 unchanged in \d+ ms; 0 errors, 0 warnings$/);
      expect(readFileSync(agentFile("default", "a"), "utf8")).toContain("Stop after 20 steps.");

      // A plain edit of one prompt: only the two files that render it (default and prod) are rewritten.
      writeFileSync(join(brain, "prompts/a.md"), "You are {{agent.name}}. Edited.\n");
      await nextSummary(/^brainc watch: prompts\/a\.md → wrote 2, removed 0, 4 unchanged in \d+ ms; 0 errors/);
      expect(readFileSync(agentFile("default", "a"), "utf8")).toBe("You are Agent A. Edited.\n");

      // An editor's save: write a temporary file next to it, then rename it over the original.
      writeFileSync(join(brain, "prompts/.a.md.swp"), "You are {{agent.name}}. Saved atomically.\n");
      renameSync(join(brain, "prompts/.a.md.swp"), join(brain, "prompts/a.md"));
      await nextSummary(/^brainc watch: prompts\/a\.md → wrote 2, removed 0/);
      expect(readFileSync(agentFile("prod", "a"), "utf8")).toBe("You are Agent A. Saved atomically.\n");

      // A new agent.
      writeFileSync(join(brain, "agents/c.yaml"), "name: Agent C\nprompt: a\ntask: chat\n");
      await nextSummary(/^brainc watch: agents\/c\.yaml → wrote 4, removed 0/); // c.md and routes.json, twice
      expect(readFileSync(agentFile("default", "c"), "utf8")).toBe("You are Agent C. Saved atomically.\n");

      // A renamed agent: a's outputs are stale files brainc wrote, so they go; b's appear.
      renameSync(join(brain, "agents/a.yaml"), join(brain, "agents/b.yaml"));
      await nextSummary(/^brainc watch: 2 files \(agents\/a\.yaml, agents\/b\.yaml\) → wrote 4, removed 2/);
      expect(existsSync(agentFile("default", "a"))).toBe(false);
      expect(existsSync(agentFile("prod", "a"))).toBe(false);
      expect(readFileSync(agentFile("default", "b"), "utf8")).toBe("You are Agent A. Saved atomically.\n");

      // A broken file: diagnostics, nothing written.
      const before = readFileSync(join(out, "echo/routes.json"), "utf8");
      writeFileSync(join(brain, "agents/c.yaml"), "name: Agent C\nprompt: a\ntask: chat\nmodel: fast\n");
      await nextSummary(/^brainc watch: agents\/c\.yaml → failed; kept the last good output in \d+ ms; 1 error, 0 warnings$/);
      expect(readFileSync(join(out, "echo/routes.json"), "utf8")).toBe(before);
      expect(existsSync(agentFile("default", "c"))).toBe(true);

      // Deleting the broken file fixes the brain: c's outputs go.
      unlinkSync(join(brain, "agents/c.yaml"));
      await nextSummary(/^brainc watch: agents\/c\.yaml → wrote 2, removed 2/);
      expect(existsSync(agentFile("default", "c"))).toBe(false);

      // A new folder with a file in it (a new prompt directory) is picked up too.
      mkdirSync(join(brain, "prompts/team"));
      writeFileSync(join(brain, "prompts/team/b.md"), "Team prompt for {{agent.name}}.\n");
      writeFileSync(join(brain, "agents/b.yaml"), "name: Agent B\nprompt: team/b\ntask: chat\n");
      await nextSummary(/agents\/b\.yaml.* → wrote/); // the prompt may come in the same batch or an earlier one
      expect(readFileSync(agentFile("default", "b"), "utf8")).toBe("Team prompt for Agent B.\n");
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
  });

  it("prints the diagnostics of a failed rebuild", async () => {
    const { brain, out } = project();
    const { io, nextSummary, stdout } = lineIo(brain);
    const stop = new AbortController();
    const done = watchCommand({ brain, out, target: [echoTarget], format: "text" }, io, stop.signal);
    try {
      await nextSummary();
      writeFileSync(join(brain, "agents/a.yaml"), "name: Agent A\nprompt: a\ntask: chta\n");
      await nextSummary(/failed; kept the last good output/);
      expect(stdout()).toMatch(/agents\/a\.yaml:3:7 - error BRN210: .*"chta"/);
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
  });

  it("exits 0 on SIGINT (the built CLI, bin/brainc.js)", async () => {
    const { brain, out } = project();
    const child = spawn(process.execPath, [join(repoRoot, "bin/brainc.js"), "build", "--watch", "--brain", brain, "--out", out, "-t", echoTarget], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "watching" line within 30 s:\n${stderr}`)), 30_000);
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("brainc watch: watching")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, stderr).toBe(0);
    expect(existsSync(join(out, "echo/agents/a.md"))).toBe(true);
  });

  it("refuses --watch with --check", async () => {
    const { brain } = project();
    const r = await runCli(["build", "--watch", "--check", "--brain", brain, "-t", echoTarget], brain);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/BRN901: --watch and --check cannot be combined/);
  });
});

describe("IncrementalBrain", () => {
  it("gives what loadAndValidate gives, re-reading only the changed files", async () => {
    const { brain } = project();
    const inc = new IncrementalBrain(brain);
    const first = await inc.load();
    expect(first.reread).toContain("agents/a.yaml");
    const keptFile = first.sources!.files.find((f) => f.path === "agents/helper.yaml");

    writeFileSync(join(brain, "agents/a.yaml"), "name: Agent A\nprompt: a\ntask: chat\nsecret: sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
    writeFileSync(join(brain, "agents/bad name.yaml"), "name: X\n");
    unlinkSync(join(brain, "policies/careful.yaml"));
    const next = await inc.load(["agents/a.yaml"]);
    expect(next.reread).toEqual(["agents/a.yaml", "agents/bad name.yaml", "policies/careful.yaml"]);
    expect(next.sources!.files.find((f) => f.path === "agents/helper.yaml")).toBe(keptFile); // not read again

    const full = await loadAndValidate(brain);
    const strip = (r: { sources?: { files: { path: string; text: string }[] }; diagnostics: unknown[] }) => ({
      files: r.sources?.files.map((f) => [f.path, f.text]),
      diagnostics: JSON.stringify([...r.diagnostics].map((d) => JSON.stringify(d)).sort()),
    });
    expect(strip(next)).toEqual(strip(full));
    expect(next.diagnostics.map((d) => d.code).sort()).toEqual(["BRN010", "BRN101", "BRN301"]);
  });

  it("reports a brain whose brain.yaml is gone", async () => {
    const { brain } = project();
    const inc = new IncrementalBrain(brain);
    await inc.load();
    unlinkSync(join(brain, "brain.yaml"));
    const r = await inc.load(["brain.yaml"]);
    expect(r.sources).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["BRN007"]);
  });
});
