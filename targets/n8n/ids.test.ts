import { describe, expect, it } from "vitest";
import { credentialId, nodeId, webhookId, workflowId } from "./ids.js";
import { intervalRule } from "./nodes.js";

describe("n8n ids", () => {
  it("are stable, in n8n's formats, and differ by brain, agent and node", () => {
    expect(workflowId("acme", "agent/a")).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(workflowId("acme", "agent/a")).toBe(workflowId("acme", "agent/a"));
    expect(new Set([workflowId("acme", "agent/a"), workflowId("acme", "agent/b"), workflowId("other", "agent/a")]).size).toBe(3);
    const id = nodeId("acme", "agent/a", "Chat memory");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).toBe(nodeId("acme", "agent/a", "Chat memory"));
    expect(new Set([id, nodeId("acme", "agent/b", "Chat memory"), nodeId("acme", "agent/a", "Chat"), webhookId("acme", "agent/a", "Chat memory")]).size).toBe(4);
    expect(credentialId("openAiApi", "LiteLLM proxy")).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("Schedule Trigger intervals", () => {
  it.each([
    // n8n runs seconds as */s within each minute: only divisors of 60 are exact (45 fires at :00 and :45)
    [45_000, { field: "seconds", secondsInterval: 45 }, true],
    [30_000, { field: "seconds", secondsInterval: 30 }, false],
    [300_000, { field: "minutes", minutesInterval: 5 }, false],
    [3_600_000, { field: "hours", hoursInterval: 1, triggerAtMinute: 0 }, false],
    [172_800_000, { field: "days", daysInterval: 2, triggerAtHour: 0, triggerAtMinute: 0 }, false],
    [5_400_000, { field: "hours", hoursInterval: 2, triggerAtMinute: 0 }, true],
    [250, { field: "seconds", secondsInterval: 1 }, true],
    [1_000, { field: "seconds", secondsInterval: 1 }, false],
    [1_500, { field: "seconds", secondsInterval: 2 }, true],
    // Raised to n8n's shortest interval (1 s): an approximation too, never silent.
    [0, { field: "seconds", secondsInterval: 1 }, true],
  ])("%d ms → %j (approximated: %s)", (ms, rule, approximated) => {
    expect(intervalRule(ms)).toEqual({ rule, approximated });
  });
});
