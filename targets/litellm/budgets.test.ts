import { describe, expect, it } from "vitest";
import { compileOk, exampleBrain, fixtureBrain } from "../../test/helpers.js";
import type { Brain } from "../../src/link/model.js";
import { agentTeamId, budgetRequests, softBudget } from "./budgets.js";
import { buildLitellm } from "./config.js";

/** An editable copy of a compiled brain (compiled brains are frozen). */
const editable = async (root: string): Promise<Brain> => structuredClone(await compileOk(root));
const bodyOf = (brain: Brain, path: string, name: string) => budgetRequests(brain).find((r) => r.path === path && (r.body.name ?? r.body.key_alias ?? r.body.team_id) === name)?.body;
const infos = (brain: Brain) => buildLitellm(brain, {}).diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message);

describe("budgets.json alert thresholds (soft_budget)", () => {
  it("puts soft_budget only on an object whose own max_budget and budget_duration it is a share of", async () => {
    for (const root of [exampleBrain, fixtureBrain("litellm-budgets")]) {
      for (const { path, body } of budgetRequests(await compileOk(root))) {
        if (body.soft_budget === undefined) continue;
        // LiteLLM compares soft_budget with the object's spend since its budget_duration reset: lifetime spend without one.
        expect(body.budget_duration, `${path} ${JSON.stringify(body)}`).toBeDefined();
        expect(body.max_budget, `${path} ${JSON.stringify(body)}`).toBeGreaterThan(body.soft_budget as number);
      }
    }
  });

  it("gives an agent's daily threshold to its team, not to its budgetless key (security-log-triage: 8 USD a day, 75 %)", async () => {
    const brain = await compileOk(exampleBrain);
    const id = agentTeamId(brain.name, "security-log-triage");
    expect(bodyOf(brain, "/team/new", id)).toMatchObject({ max_budget: 8, budget_duration: "1d", soft_budget: 6 });
    expect(bodyOf(brain, "/key/generate", id)).not.toHaveProperty("soft_budget");
  });

  it("inherits the global alertAtPercent where a budget has none, as the runtime does", async () => {
    const brain = await compileOk(exampleBrain); // global alertAtPercent: 80
    expect(bodyOf(brain, "/tag/new", "task:heartbeat_check")).toMatchObject({ max_budget: 1, budget_duration: "1d", soft_budget: 0.8 });
    expect(bodyOf(brain, "/team/new", agentTeamId(brain.name, "uptime-monitor"))).toMatchObject({ max_budget: 3, budget_duration: "1d", soft_budget: 2.4 });
    // email-triage: 5 USD a day on its team, 100 USD a month on its key; each window gets its threshold.
    expect(bodyOf(brain, "/team/new", agentTeamId(brain.name, "email-triage"))).toMatchObject({ max_budget: 5, budget_duration: "1d", soft_budget: 4 });
    expect(bodyOf(brain, "/key/generate", agentTeamId(brain.name, "email-triage"))).toMatchObject({ max_budget: 100, budget_duration: "1mo", soft_budget: 80 });
    // Every agent and task budget of the example carries a threshold, so what BRN509 says about the global one holds.
    for (const { body } of budgetRequests(brain).filter((r) => r.path !== "/key/generate" || r.body.max_budget !== undefined)) expect(body.soft_budget, JSON.stringify(body)).toBeDefined();
    expect(infos(brain)).toContain("LiteLLM has no alert threshold for the proxy-wide budget: litellm_settings cannot carry budgets.global.alertAtPercent (agent and task budgets without an alertAtPercent of their own carry it as soft_budget in budgets.json, like the runtime inherits it); the supervisor target raises the global alert");
  });

  it("has no threshold without alertAtPercent anywhere", async () => {
    const brain = await editable(exampleBrain);
    delete brain.budgets.global!.alertAtPercent;
    delete brain.agents["security-log-triage"].budget!.alertAtPercent;
    expect(budgetRequests(brain).filter((r) => r.body.soft_budget !== undefined)).toEqual([]);
    expect(infos(brain).filter((m) => /alert/.test(m))).toEqual([]);
  });

  it("reports a threshold LiteLLM cannot hold (0 % or 100 %) as BRN509 instead of writing it", async () => {
    expect(softBudget(10, 100)).toBeUndefined(); // a team's soft_budget must be below its max_budget
    expect(softBudget(10, 0)).toBeUndefined(); // a key's soft_budget 0 means none
    expect(softBudget(10, 75)).toBe(7.5);
    const brain = await editable(exampleBrain);
    brain.agents["security-log-triage"].budget!.alertAtPercent = 100;
    brain.tasks.cron_ping.budget!.alertAtPercent = 0;
    expect(bodyOf(brain, "/team/new", agentTeamId(brain.name, "security-log-triage"))).not.toHaveProperty("soft_budget");
    expect(bodyOf(brain, "/tag/new", "task:cron_ping")).not.toHaveProperty("soft_budget");
    expect(infos(brain)).toEqual(
      expect.arrayContaining([
        "LiteLLM soft budgets lie strictly between 0 and max_budget: the alert threshold of budgets.agents.security-log-triage (100 %) is not in budgets.json; the supervisor target raises the alert",
        "LiteLLM soft budgets lie strictly between 0 and max_budget: the alert threshold of budgets.tasks.cron_ping (0 %) is not in budgets.json; the supervisor target raises the alert",
      ]),
    );
  });

  it("says that team soft budgets need a recent LiteLLM (BRN509) only when a team carries one", async () => {
    const team = (m: string) => m.startsWith("LiteLLM has team soft budgets only since 2026");
    expect(infos(await compileOk(exampleBrain)).filter(team)).toHaveLength(1);
    const brain = await editable(exampleBrain);
    delete brain.budgets.global!.alertAtPercent;
    expect(infos(brain).filter(team)).toHaveLength(1); // security-log-triage's own 75 % is left …
    delete brain.agents["security-log-triage"].budget!.alertAtPercent;
    expect(infos(brain).filter(team)).toEqual([]); // … and now no team has a threshold
  });
});
