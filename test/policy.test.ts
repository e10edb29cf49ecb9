/**
 * Effective policies (src/link/policy.ts): merging only ever tightens (min of limits, union of deny and
 * approval lists, intersection of allow lists), with the provenance of each value. Table tests in the
 * openapi-typescript style: given policies (in order) → want the merged value and the files behind it.
 */
import { describe, expect, it } from "vitest";
import { forAgent, matchTools, mergePolicies, resolveToolNames, type PolicySource } from "../src/link/policy.js";
import type { Policy } from "../src/types/index.js";
import { compileOk, repoRoot, tempCopy } from "./helpers.js";
import { appendFileSync } from "node:fs";
import { join } from "node:path";

const TOOLS = ["gmail-label", "gmail-search", "http-check", "shell-exec", "slack-alert"];
/** The policies of an agent that lists every tool. */
const sources = (...policies: Policy[]): PolicySource[] =>
  policies.map((policy, i) => ({ id: `p${i}`, source: `policies/p${i}.yaml`, policy: forAgent(resolveToolNames(policy, TOOLS), TOOLS) }));

/** A dotted path's value in an object. */
const get = (obj: unknown, path: string): unknown => path.split(".").reduce<any>((o, k) => o?.[k], obj);

const cases: { name: string; given: Policy[]; path: string; want: unknown; from: string[] }[] = [
  { name: "a limit set once is kept", given: [{ loop: { maxSteps: 40 } }, { loop: { maxToolCalls: 9 } }], path: "loop.maxSteps", want: 40, from: ["policies/p0.yaml"] },
  { name: "limits take the minimum (later lower)", given: [{ loop: { maxSteps: 40 } }, { loop: { maxSteps: 25 } }], path: "loop.maxSteps", want: 25, from: ["policies/p1.yaml"] },
  { name: "limits take the minimum (later higher cannot loosen)", given: [{ loop: { maxCostUsd: 1.5 } }, { loop: { maxCostUsd: 3 } }], path: "loop.maxCostUsd", want: 1.5, from: ["policies/p0.yaml"] },
  { name: "durations take the shortest", given: [{ loop: { maxDuration: "1h" } }, { loop: { maxDuration: "30m" } }, { loop: { maxDuration: "45m" } }], path: "loop.maxDuration", want: "30m", from: ["policies/p1.yaml"] },
  { name: "durations compare across units", given: [{ loop: { maxDuration: "90s" } }, { loop: { maxDuration: "2m" } }], path: "loop.maxDuration", want: "90s", from: ["policies/p0.yaml"] },
  { name: "context limits take the minimum", given: [{ context: { compactAtPercent: 85 } }, { context: { compactAtPercent: 80 } }], path: "context.compactAtPercent", want: 80, from: ["policies/p1.yaml"] },
  { name: "deny lists are unions", given: [{ tools: { deny: ["shell-exec"] } }, { tools: { deny: ["gmail-label"] } }], path: "tools.deny", want: ["gmail-label", "shell-exec"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "approval lists are unions", given: [{ tools: { requireApproval: ["slack-alert"] } }, { tools: { requireApproval: ["shell-exec", "slack-alert"] } }], path: "tools.requireApproval", want: ["shell-exec", "slack-alert"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "allow lists intersect", given: [{ tools: { allow: ["gmail-search", "http-check", "slack-alert"] } }, { tools: { allow: ["http-check", "shell-exec", "slack-alert"] } }], path: "tools.allow", want: ["http-check", "slack-alert"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "allow globs intersect after resolving to tool ids", given: [{ tools: { allow: ["*"] } }, { tools: { allow: ["gmail-*"] } }], path: "tools.allow", want: ["gmail-label", "gmail-search"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "disjoint allow lists allow nothing", given: [{ tools: { allow: ["gmail-*"] } }, { tools: { allow: ["http-check"] } }], path: "tools.allow", want: [], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "exec allowBins intersect", given: [{ tools: { exec: { allowBins: ["git", "curl", "jq"] } } }, { tools: { exec: { allowBins: ["jq", "git"] } } }], path: "tools.exec.allowBins", want: ["git", "jq"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "exec denyPatterns are unions", given: [{ tools: { exec: { denyPatterns: ["rm *"] } } }, { tools: { exec: { denyPatterns: ["sudo *"] } } }], path: "tools.exec.denyPatterns", want: ["rm *", "sudo *"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "path allow globs keep the narrower glob", given: [{ tools: { paths: { allow: ["/srv/**"] } } }, { tools: { paths: { allow: ["/srv/logs/**", "/home/**"] } } }], path: "tools.paths.allow", want: ["/srv/logs/**"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "path deny globs are unions", given: [{ tools: { paths: { deny: ["~/.ssh/**"] } } }, { tools: { paths: { deny: ["**/.env"] } } }], path: "tools.paths.deny", want: ["**/.env", "~/.ssh/**"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "network deny lists are unions", given: [{ tools: { network: { deny: ["169.254.169.254"] } } }, { tools: { network: { deny: ["metadata.google.internal"] } } }], path: "tools.network.deny", want: ["169.254.169.254", "metadata.google.internal"], from: ["policies/p0.yaml", "policies/p1.yaml"] },
  { name: "workspaceOnly: once true, stays true", given: [{ tools: { paths: { workspaceOnly: true } } }, { tools: { paths: { workspaceOnly: false } } }], path: "tools.paths.workspaceOnly", want: true, from: ["policies/p0.yaml"] },
  { name: "workspaceOnly: a later true tightens", given: [{ tools: { paths: { workspaceOnly: false } } }, { tools: { paths: { workspaceOnly: true } } }], path: "tools.paths.workspaceOnly", want: true, from: ["policies/p1.yaml"] },
  { name: "checkpoints: tool-call is more frequent than step", given: [{ checkpoint: { every: "step" } }, { checkpoint: { every: "tool-call" } }], path: "checkpoint.every", want: "tool-call", from: ["policies/p1.yaml"] },
  { name: "checkpoints: step is more frequent than a duration", given: [{ checkpoint: { every: "step" } }, { checkpoint: { every: "5m" } }], path: "checkpoint.every", want: "step", from: ["policies/p0.yaml"] },
  { name: "checkpoints keep the most", given: [{ checkpoint: { keep: 20 } }, { checkpoint: { keep: 50 } }], path: "checkpoint.keep", want: 50, from: ["policies/p1.yaml"] },
  { name: "retries take the minimum", given: [{ retry: { maxAttempts: 5 } }, { retry: { maxAttempts: 3 } }], path: "retry.maxAttempts", want: 3, from: ["policies/p1.yaml"] },
  { name: "backoff is tuning: the last one wins, whole", given: [{ retry: { backoff: { initial: "5s", max: "5m" } } }, { retry: { backoff: { initial: "1s" } } }], path: "retry.backoff", want: { initial: "1s" }, from: ["policies/p1.yaml"] },
  { name: "liveness intervals take the shortest", given: [{ health: { liveness: { interval: "30s" } } }, { health: { liveness: { interval: "1m" } } }], path: "health.liveness.interval", want: "30s", from: ["policies/p0.yaml"] },
];

describe("mergePolicies", () => {
  for (const c of cases) {
    it(c.name, () => {
      const { policy, provenance } = mergePolicies(sources(...c.given));
      expect(get(policy, c.path)).toEqual(c.want);
      expect(provenance[c.path]).toEqual(c.from);
    });
  }

  it("credits each value to the file `sourceOf` names for its path (an overlay's), else to `source`", () => {
    const [p0, p1] = sources({ loop: { maxSteps: 20 }, tools: { deny: ["shell-exec"] } }, { loop: { maxSteps: 10 }, tools: { deny: ["gmail-label"] } });
    const { provenance } = mergePolicies([p0, { ...p1, sourceOf: (path) => (path === "tools.deny" ? "overlays/prod.yaml" : p1.source) }]);
    expect(provenance).toEqual({ "loop.maxSteps": ["policies/p1.yaml"], "tools.deny": ["policies/p0.yaml", "overlays/prod.yaml"] });
  });

  it("never copies descriptions into the effective policy", () => {
    const { policy, provenance } = mergePolicies(sources({ description: "a", loop: { maxSteps: 1 } }, { description: "b" }));
    expect(policy).toEqual({ loop: { maxSteps: 1 } });
    expect(Object.keys(provenance)).toEqual(["loop.maxSteps"]);
  });

  it("the result and its provenance have sorted keys (deterministic output)", () => {
    const { policy, provenance } = mergePolicies(sources({ tools: { deny: ["shell-exec"] }, loop: { maxToolCalls: 3, maxSteps: 2 } }));
    expect(Object.keys(policy)).toEqual(["loop", "tools"]);
    expect(Object.keys(policy.loop!)).toEqual(["maxSteps", "maxToolCalls"]);
    expect(Object.keys(provenance)).toEqual(["loop.maxSteps", "loop.maxToolCalls", "tools.deny"]);
  });

  it("merging only tightens: adding a policy never raises a limit or widens an allow list", () => {
    let seed = 42;
    const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    const pick = () => TOOLS.filter(() => random(2) === 0);
    for (let round = 0; round < 200; round++) {
      const given: Policy[] = Array.from({ length: 1 + random(4) }, () => ({ loop: { maxSteps: 1 + random(50) }, tools: { allow: pick(), deny: pick() } }));
      const before = mergePolicies(sources(...given.slice(0, -1))).policy;
      const after = mergePolicies(sources(...given)).policy;
      if (given.length === 1) continue;
      expect(after.loop!.maxSteps!).toBeLessThanOrEqual(before.loop!.maxSteps!);
      for (const t of after.tools!.allow!) expect(before.tools!.allow).toContain(t);
      for (const t of before.tools!.deny!) expect(after.tools!.deny).toContain(t);
    }
  });
});

describe("matchTools", () => {
  it("expands names and globs to sorted tool ids", () => {
    expect(matchTools(["slack-alert", "gmail-*"], TOOLS)).toEqual(["gmail-label", "gmail-search", "slack-alert"]);
    expect(matchTools(["*"], TOOLS)).toEqual(TOOLS);
    expect(matchTools(["nothing-*"], TOOLS)).toEqual([]);
  });
});

describe("resolveToolNames and forAgent", () => {
  const policy: Policy = { tools: { allow: ["*"], deny: ["shell-*"], requireApproval: ["slack-alert"] } };
  it("resolves allow to the agent's own tools: an agent never gets a tool it does not list", () => {
    expect(forAgent(resolveToolNames(policy, TOOLS), ["slack-alert", "http-check"]).tools!.allow).toEqual(["http-check", "slack-alert"]);
    expect(forAgent(resolveToolNames({ tools: { allow: ["gmail-*", "http-check"] } }, TOOLS), ["gmail-search", "slack-alert"]).tools!.allow).toEqual(["gmail-search"]);
  });
  it("resolves deny and requireApproval to every tool of the brain (a runtime may offer tools the agent does not list)", () => {
    const resolved = forAgent(resolveToolNames(policy, TOOLS), ["http-check"]).tools!;
    expect(resolved.deny).toEqual(["shell-exec"]);
    expect(resolved.requireApproval).toEqual(["slack-alert"]);
  });
});

describe("effective policy of a linked agent", () => {
  it("merges brain.yaml defaults.policies, then the agent's own, with the provenance of each value", async () => {
    const brain = await compileOk(join(repoRoot, "test/fixtures/valid/minimal"));
    const watcher = brain.agents.watcher;
    expect(watcher.policies).toEqual(["baseline", "tight"]);
    expect(watcher.policy).toEqual({
      checkpoint: { every: "step", keep: 10 },
      loop: { maxDuration: "10m", maxSteps: 10 },
      tools: { allow: ["http-check", "search"], requireApproval: ["search"] },
    });
    expect(watcher.provenance).toEqual({
      "checkpoint.every": ["policies/tight.yaml"],
      "checkpoint.keep": ["policies/tight.yaml"],
      "loop.maxDuration": ["policies/baseline.yaml"],
      "loop.maxSteps": ["policies/tight.yaml"],
      "tools.allow": ["policies/baseline.yaml"],
      "tools.requireApproval": ["policies/tight.yaml"],
    });
  });

  it("credits the values an overlay sets (a limit, a replaced list) to the overlay file, the rest to the policy file", async () => {
    const { dir, cleanup } = tempCopy(join(repoRoot, "test/fixtures/valid/minimal"));
    try {
      appendFileSync(join(dir, "overlays/prod.yaml"), "policies:\n  baseline: { loop: { maxSteps: 5 } }\n  tight: { tools: { requireApproval: [http-check, search] } }\n");
      const watcher = (await compileOk(dir, "prod")).agents.watcher;
      expect(watcher.policy.loop).toEqual({ maxDuration: "10m", maxSteps: 5 });
      expect(watcher.provenance).toEqual({
        "checkpoint.every": ["policies/tight.yaml"],
        "checkpoint.keep": ["policies/tight.yaml"],
        "loop.maxDuration": ["policies/baseline.yaml"],
        "loop.maxSteps": ["overlays/prod.yaml"],
        "tools.allow": ["policies/baseline.yaml"],
        "tools.requireApproval": ["overlays/prod.yaml"],
      });
    } finally {
      cleanup();
    }
  });

  it("an overlay that loosens a policy file is still merged by the rules (the overlay changes the file, not the merge)", async () => {
    const brain = await compileOk(join(repoRoot, "brain"), "prod");
    for (const agent of Object.values(brain.agents)) {
      // prod raises baseline's maxCostUsd to 2.0; agents with a tighter own policy keep theirs.
      const own = agent.policies.map((p) => brain.policies[p].loop?.maxCostUsd).filter((v): v is number => v !== undefined);
      expect(agent.policy.loop?.maxCostUsd).toBe(Math.min(...own));
    }
  });
});
