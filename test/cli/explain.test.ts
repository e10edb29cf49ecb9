import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentExplanation, RouteExplanation } from "../../src/explain/explain.js";
import { fixtureBrain, repoRoot, runCli, tempCopy } from "../helpers.js";

const brain = fixtureBrain("workflow-small");
const echoTarget = join(repoRoot, "test/cli/echo-target.mjs");
const explain = (...args: string[]) => runCli(["explain", ...args, "--brain", brain], repoRoot);

describe("brainc explain route", () => {
  it("shows the chain with context windows and prices, the fallback rules and the budgets that apply", async () => {
    const r = await explain("route", "research");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "task research",
        "  tier strong",
        "chain:",
        "  1. claude-sonnet-4-6 (anthropic/claude-sonnet-4-6, primary): context 200000 tokens, max output 64000 tokens; $3 input / $15 output per MTok",
        "  2. gpt-5-mini (openai/gpt-5-mini, fallback): context 400000 tokens, max output 128000 tokens; $0.25 input / $2 output per MTok",
        "fallback: on rate_limit, timeout; 1 retry per model",
        "budgets:",
        "  task research: $4 a day",
        "  agent helper (its own turns): no budget of its own",
        "  global: $10 a day, $200 a month",
        "  when a budget is exceeded: block",
        "",
      ].join("\n"),
    );
  });

  it("explains routing.yaml default, per environment, as JSON", async () => {
    const r = await explain("route", "default", "--env", "prod", "--format", "json");
    const json = JSON.parse(r.stdout) as RouteExplanation;
    expect(json.task).toBe("default");
    expect(json.chain.map((m) => m.id)).toEqual(["gpt-5-mini", "claude-sonnet-4-6"]);
    expect(json.budgets.global).toEqual({ dailyUsd: 20, monthlyUsd: 200 }); // the prod overlay
  });

  it("rejects an undeclared task class with a did-you-mean", async () => {
    const r = await explain("route", "reserch");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error BRN210: task class "reserch" is not declared in routing.yaml\n  hint: did you mean "research"?');
  });
});

describe("brainc explain agent", () => {
  it("shows each effective policy value with the files that set it, and what each target cannot express", async () => {
    const r = await explain("agent", "helper", "-t", echoTarget);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("effective policy (merged from baseline, careful):\n");
    // merging only tightens: the looser value of another policy is shown as not used
    expect(r.stdout).toContain("  loop.maxSteps = 10    ← policies/careful.yaml    (not used: baseline 20)\n");
    expect(r.stdout).toContain("  loop.maxToolCalls = 40    ← policies/baseline.yaml\n");
    expect(r.stdout).toContain("  tools.requireApproval = [web-fetch]    ← policies/careful.yaml\n");
    expect(r.stdout).toContain("heartbeat: every 1h, task heartbeat_check → gpt-5-mini → claude-sonnet-4-6\n");
    expect(r.stdout).toContain('what the targets cannot express:\n  echo: agent "helper": echo cannot express heartbeats; enforce them with the supervisor target\n');

    const json = JSON.parse((await explain("agent", "a", "-t", echoTarget, "--format", "json")).stdout) as AgentExplanation;
    expect(json.tools).toEqual([{ id: "web-fetch", risk: ["network", "read"], approval: "never" }]);
    expect(json.policy.find((p) => p.path === "loop.maxSteps")).toEqual({ path: "loop.maxSteps", value: 20, setBy: ["policies/baseline.yaml"] });
    expect(json.targetLimits).toEqual([]); // the echo target reports nothing about agent a
  });

  it("names each target once before its messages (n8n's own messages start with \"n8n: \")", async () => {
    const r = await explain("agent", "helper", "-t", "n8n");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("  n8n: "));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.startsWith("  n8n: n8n:"))).toEqual([]);
  });

  it("lists a target's warnings (BRN512: its runtime would run the agent differently) with their level", async () => {
    const r = await runCli(["explain", "agent", "security-log-triage", "-t", "openclaw", "--brain", join(repoRoot, "brain")], repoRoot);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('  openclaw: warning BRN512: agent "security-log-triage": OpenClaw has one approval rule for all of an agent\'s exec commands');
  });

  it("credits the values an overlay sets to the overlay file (--env)", async () => {
    const { dir, cleanup } = tempCopy(brain);
    try {
      writeFileSync(join(dir, "overlays/prod.yaml"), "policies:\n  baseline: { loop: { maxToolCalls: 30 } }\n  careful: { tools: { requireApproval: [web-fetch] } }\n");
      const r = await runCli(["explain", "agent", "helper", "--env", "prod", "-t", echoTarget, "--brain", dir], repoRoot);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("  loop.maxToolCalls = 30    ← overlays/prod.yaml\n");
      expect(r.stdout).toContain("  loop.maxDuration = 15m    ← policies/baseline.yaml\n");
      expect(r.stdout).toContain("  loop.maxSteps = 10    ← policies/careful.yaml    (not used: baseline 20)\n");
      expect(r.stdout).toContain("  tools.requireApproval = [web-fetch]    ← overlays/prod.yaml\n");
    } finally {
      cleanup();
    }
  });

  it("rejects an unknown agent", async () => {
    const r = await explain("agent", "helpr");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error BRN212: no agent "helpr" (agents/helpr.yaml)\n  hint: did you mean "helper"?');
  });
});

describe("brainc render", () => {
  const render = (...args: string[]) => runCli(["render", ...args, "--brain", brain], repoRoot);

  it("prints a prompt rendered for an agent, per environment", async () => {
    expect((await render("helper", "--agent", "helper")).stdout).toBe("You are Helper of workflow-small (default). Read at most 3 pages.\nStop after 10 steps.\n");
    expect((await render("helper", "--agent", "helper", "--env", "prod")).stdout).toContain("(prod)");
    // A prompt rendered for another agent than the one that uses it.
    expect((await render("a", "--agent", "helper")).stdout).toBe("You are Helper. Researches a topic.\nStop after 10 steps.\n");
  });

  it("rejects unknown prompts and agents, and a missing --agent", async () => {
    const noPrompt = await render("hepler", "--agent", "helper");
    expect(noPrompt.code).toBe(1);
    expect(noPrompt.stdout).toContain('error BRN201: no prompt "hepler"');
    const noAgent = await render("a", "--agent", "nobody");
    expect(noAgent.code).toBe(1);
    expect(noAgent.stdout).toContain("error BRN212");
    expect((await render("a")).code).toBe(2);
  });

  it("a name every JavaScript object has (constructor, toString) is an unknown prompt, partial, agent or task, not an internal error", async () => {
    for (const [args, code] of [
      [["render", "constructor", "--agent", "helper"], "BRN201"],
      [["render", "_constructor", "--agent", "helper"], "BRN202"],
      [["render", "helper", "--agent", "toString"], "BRN212"],
      [["explain", "agent", "constructor"], "BRN212"],
      [["explain", "route", "constructor"], "BRN210"],
    ] as const) {
      const r = await runCli([...args, "--brain", brain], repoRoot);
      expect([r.code, r.stdout.match(/BRN\d+/)?.[0]], args.join(" ")).toEqual([1, code]);
    }
  });

  it("renders a partial on its own (by its file name), and names partials when one is unknown", async () => {
    const example = (...args: string[]) => runCli(["render", ...args, "--brain", join(repoRoot, "brain")], repoRoot);
    const rules = await example("_safety-rules", "--agent", "uptime-monitor");
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^## Safety rules\n/);
    expect((await example("prompts/_safety-rules.md", "--agent", "uptime-monitor")).stdout).toBe(rules.stdout);
    const typo = await example("_safty-rules", "--agent", "uptime-monitor");
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain('error BRN202: no partial "safty-rules" (prompts/**/_safty-rules.md)\n  hint: did you mean "safety-rules"?');
  });
});
