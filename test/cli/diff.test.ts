import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { diffBuilds, type BrainDiff } from "../../src/diff/semantic.js";
import type { Brain } from "../../src/link/model.js";
import { compileOk, exampleBrain, fixtureBrain, repoRoot, runCli } from "../helpers.js";

const echoTarget = join(repoRoot, "test/cli/echo-target.mjs");
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A git repository holding the workflow-small fixture at `brain/`, committed once. */
function repo() {
  const dir = mkdtempSync(join(tmpdir(), "brainc-diff-test-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(fixtureBrain("workflow-small"), join(dir, "brain"), { recursive: true });
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args], { cwd: dir }).toString();
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "brain");
  return { dir, git, edit: (path: string, f: (s: string) => string) => writeFileSync(join(dir, "brain", path), f(readFileSync(join(dir, "brain", path), "utf8"))) };
}

const diff = (cwd: string, ...args: string[]) => runCli(["diff", "-t", echoTarget, ...args], cwd);

describe("brainc diff", () => {
  it("reports no change, with exit code 0 under --detailed-exitcode", async () => {
    const { dir } = repo();
    const r = await diff(dir, "--detailed-exitcode");
    expect(r.stdout).toBe("brainc diff HEAD → working tree: no changes\n");
    expect(r.code).toBe(0);
  });

  it("reports routing, agents, policies, prompts and files against HEAD, without touching the work tree or the index", async () => {
    const { dir, git, edit } = repo();
    edit("routing.yaml", (s) => s.replace("chat: { tier: cheap", "chat: { tier: strong"));
    edit("policies/careful.yaml", (s) => s.replace("maxSteps: 10", "maxSteps: 8"));
    renameSync(join(dir, "brain/agents/a.yaml"), join(dir, "brain/agents/b.yaml"));
    git("add", "brain/agents/b.yaml"); // staged, so the index differs from HEAD
    const status = git("status", "--porcelain");

    const r = await diff(dir, "--detailed-exitcode");
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(git("status", "--porcelain")).toBe(status);
    const text = r.stdout;
    expect(text).toContain("~ route chat: gpt-5-mini → claude-sonnet-4-6 ⇒ claude-sonnet-4-6 → gpt-5-mini (input $0.25 → $3 (+$2.75), output $2 → $15 (+$13) per MTok; tier cheap → strong)");
    expect(text).toContain("  + agent b\n  - agent a\n");
    expect(text).toContain("  ~ agent helper\n      policy.loop.maxSteps: 10 → 8\n");
    expect(text).toContain("  ~ policy careful\n      loop.maxSteps: 10 → 8\n");
    expect(text).toContain("-Stop after 10 steps.\n      +Stop after 8 steps.");
    expect(text).toContain("env prod:\n  ~ route chat:"); // its own section: helper's prompt renders {{env}}
    expect(text).toContain("target echo: 2 added, 4 changed, 2 removed");
    expect(text).toContain("  - prod/echo/agents/a.md\n");
  });

  it("writes markdown for a pull-request comment and JSON for tools", async () => {
    const { dir, edit } = repo();
    edit("routing.yaml", (s) => s.replace("research: { dailyUsd: 4 }", "research: { dailyUsd: 6 }"));
    const md = (await diff(dir, "--format", "markdown", "--env", "default")).stdout;
    expect(md).toMatch(/^## brainc diff: `HEAD` → `working tree`\n/);
    expect(md).toContain("| `research` | claude-sonnet-4-6 → gpt-5-mini | claude-sonnet-4-6 → gpt-5-mini | $3 / $15 | budget {\"dailyUsd\":4} → {\"dailyUsd\":6} |");
    const json = JSON.parse((await diff(dir, "--format", "json", "--env", "default")).stdout) as BrainDiff & { before: string };
    expect(json.before).toBe("HEAD");
    expect(json.envs[0].routing).toEqual([{ task: "research", before: { chain: ["claude-sonnet-4-6", "gpt-5-mini"], tier: "strong", costPerMTokUsd: { input: 3, output: 15 }, budget: { dailyUsd: 4 } }, after: { chain: ["claude-sonnet-4-6", "gpt-5-mini"], tier: "strong", costPerMTokUsd: { input: 3, output: 15 }, budget: { dailyUsd: 6 } }, costDeltaPerMTokUsd: { input: 0, output: 0 } }]);
    expect(json.files).toEqual([]);
  });

  it("compares with another ref, and with a commit that has no brain yet", async () => {
    const { dir, git, edit } = repo();
    edit("prompts/a.md", (s) => s + "Be brief.\n");
    git("commit", "-qam", "brief");
    const r = await diff(dir, "--against", "HEAD~1", "--env", "default");
    expect(r.stdout).toContain("+Be brief.");
    git("mv", "brain", "brain2");
    git("commit", "-qm", "move");
    const moved = await diff(dir, "--brain", "brain2", "--against", "HEAD~1", "--env", "default", "--format", "json");
    const json = JSON.parse(moved.stdout) as BrainDiff;
    expect(json.envs[0].status).toBe("added");
    expect(json.envs[0].agents.added).toEqual(["a", "helper"]);
  });

  it("reports brain-wide settings, providers, MCP servers and tiers", async () => {
    const { dir, edit } = repo();
    edit("routing.yaml", (s) => s.replace("dailyUsd: 10", "dailyUsd: 12").replace("retriesPerModel: 1", "retriesPerModel: 2").replace("onExceeded: block", "onExceeded: downgrade"));
    edit("models.yaml", (s) => s.replace("OPENAI_API_KEY", "OPENAI_KEY").replace("tiers:\n", "tiers:\n  spare: [gpt-5-mini]\n"));
    edit("brain.yaml", (s) => s + "gateway: { baseUrl: http://127.0.0.1:4000/v1 }\nmcpServers: { fs: { command: npx } }\n");
    const r = await diff(dir, "--env", "default", "--detailed-exitcode");
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain(
      [
        "  ~ budgets.global.dailyUsd: 10 → 12",
        "  ~ budgets.onExceeded: block → downgrade",
        "  ~ fallback.retriesPerModel: 1 → 2",
        "  + gateway.baseUrl: (unset) → http://127.0.0.1:4000/v1",
        "  + MCP server fs",
        "  ~ provider openai",
        "      apiKey: ${env:OPENAI_API_KEY} → ${env:OPENAI_KEY}",
        "  + tier spare",
      ].join("\n"),
    );
    const md = (await diff(dir, "--env", "default", "--format", "markdown")).stdout;
    expect(md).toContain("**Settings**\n\n- `budgets.global.dailyUsd`: `10` → `12`\n");
    expect(md).toContain("**MCP servers**\n\n- added `fs`\n");
  });

  it("exits 2 (BRN901) on a bad ref and outside git, 1 when a side does not build", async () => {
    const { dir, edit } = repo();
    const bad = await diff(dir, "--against", "no-such-branch");
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/BRN901: cannot read the brain at "no-such-branch": "no-such-branch" names no commit/);

    const outside = mkdtempSync(join(tmpdir(), "brainc-nogit-"));
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    cpSync(fixtureBrain("workflow-small"), join(outside, "brain"), { recursive: true });
    expect((await diff(outside)).code).toBe(2);

    edit("agents/a.yaml", (s) => s + "modle: x\n");
    const broken = await diff(dir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/brain\/agents\/a\.yaml:\d+:1 - error BRN101: unknown key "modle"/);
  });

  it("in a repository with no commits yet, says so and how to go on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brainc-diff-empty-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(fixtureBrain("workflow-small"), join(dir, "brain"), { recursive: true });
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const r = await diff(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/BRN901: cannot read the brain at "HEAD": the repository at .* has no commits yet\n  hint: commit the brain first: brainc diff compares the work tree with a commit/);
  });

  it("exits 1 on every error with --detailed-exitcode, where 2 means changes", async () => {
    const { dir, edit } = repo();
    expect((await diff(dir, "--detailed-exitcode", "--against", "no-such-branch")).code).toBe(1);
    expect((await diff(dir, "--detailed-exitcode", "--againts", "HEAD")).code).toBe(1);
    expect((await diff(dir, "--againts", "HEAD")).code).toBe(2); // a usage error without it, as in every command
    expect((await diff(dir, "--detailed-exitcode", "--format", "xml")).code).toBe(1);
    edit("agents/a.yaml", (s) => s + "modle: x\n");
    expect((await diff(dir, "--detailed-exitcode")).code).toBe(1);
  });
});

describe("diffBuilds", () => {
  it("is empty for the same brain and lists entity field changes by dotted path", async () => {
    const brain = await compileOk(fixtureBrain("workflow-small"));
    expect(diffBuilds({ brains: { default: brain }, outputs: [] }, { brains: { default: brain }, outputs: [] }).changed).toBe(false);
    const changedTool = { ...brain, tools: { ...brain.tools, "web-fetch": { ...brain.tools["web-fetch"], timeout: "30s" } } };
    const d = diffBuilds({ brains: { default: brain }, outputs: [] }, { brains: { default: changedTool }, outputs: [] });
    expect(d.envs[0].tools.changed).toEqual([{ id: "web-fetch", fields: [{ path: "timeout", before: "20s", after: "30s" }] }]);
  });

  it("compares every part of the linked brain that reaches a runtime", async () => {
    const brain = await compileOk(exampleBrain);
    const first = <T>(record: Record<string, T>): [string, T] => Object.entries(record)[0];
    const edit = <T>(record: Record<string, T>, f: (x: T) => T) => ({ ...record, [first(record)[0]]: f(first(record)[1]) });
    // Every top-level part of Brain (typed: a new part does not compile until it is listed here), and a
    // change to it that the diff must report, or why it is not compared.
    const parts: Record<keyof Brain, ((b: Brain) => Partial<Brain>) | string> = {
      formatVersion: "always 1",
      env: "the environment's name, which keys each EnvDiff",
      sources: "source file names; the generated files are compared per target",
      prompts: "reach a runtime only rendered into agents' instructions, compared as prompts",
      partials: "reach a runtime only rendered into agents' instructions, compared as prompts",
      name: (b) => ({ name: `${b.name}-2` }),
      description: (b) => ({ description: `${b.description} More.` }),
      gateway: (b) => ({ gateway: { ...b.gateway!, baseUrl: "http://127.0.0.1:4001/v1" } }),
      mcpServers: (b) => ({ mcpServers: edit(b.mcpServers, (s) => ({ ...s, transport: "sse" })) }),
      targetOptions: (b) => ({ targetOptions: edit(b.targetOptions, (o) => ({ ...o, extra: 1 })) }),
      providers: (b) => ({ providers: edit(b.providers, (p) => ({ ...p, baseUrl: "https://example.com/v1" })) }),
      models: (b) => ({ models: edit(b.models, (m) => ({ ...m, contextWindow: m.contextWindow + 1 })) }),
      tiers: (b) => ({ tiers: edit(b.tiers, (chain) => chain.slice(1)) }),
      tasks: (b) => ({ tasks: edit(b.tasks, (r) => ({ ...r, budget: { dailyUsd: 99 } })) }),
      defaultRoute: (b) => ({ defaultRoute: { ...b.defaultRoute, chain: b.defaultRoute.chain.slice(1) } }),
      fallback: (b) => ({ fallback: { ...b.fallback, on: ["timeout"] } }),
      budgets: (b) => ({ budgets: { ...b.budgets, global: { ...b.budgets.global, alertAtPercent: 90 } } }),
      tools: (b) => ({ tools: edit(b.tools, (t) => ({ ...t, description: "other" })) }),
      policies: (b) => ({ policies: edit(b.policies, (p) => ({ ...p, description: "other" })) }),
      memory: (b) => ({ memory: edit(b.memory, (n) => ({ ...n, description: "other" })) }),
      agents: (b) => ({ agents: edit(b.agents, (a) => ({ ...a, instructions: `${a.instructions}More.` })) }),
    };
    expect(Object.keys(brain).filter((k) => !(k in parts))).toEqual([]);
    const unreported = Object.entries(parts).filter(([, change]) => {
      if (typeof change === "string") return false;
      const d = diffBuilds({ brains: { default: brain }, outputs: [] }, { brains: { default: { ...brain, ...change(brain) } }, outputs: [] });
      return d.envs[0].status !== "changed";
    });
    expect(unreported.map(([part]) => part)).toEqual([]);
  });
});
