import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitTarget, fixtureBrain, formatForTest, tempCopy } from "../../test/helpers.js";
import n8n from "./index.js";

/** Emits the n8n target for a copy of a fixture brain whose brain.yaml `targets.n8n` line is replaced. */
async function emitWith(fixture: string, n8nOptions: string) {
  const { dir, cleanup } = tempCopy(fixtureBrain(fixture));
  try {
    const manifest = join(dir, "brain.yaml");
    const text = readFileSync(manifest, "utf8");
    writeFileSync(manifest, /^ {2}n8n: .*$/m.test(text) ? text.replace(/^ {2}n8n: .*$/m, `  n8n: ${n8nOptions}`) : `${text}targets:\n  n8n: ${n8nOptions}\n`);
    return await emitTarget(n8n, dir);
  } finally {
    cleanup();
  }
}

describe("n8n target options", () => {
  it("requires memoryCredential with postgres or redis memory (BRN503), and emits nothing then", async () => {
    const { files, diagnostics } = await emitWith("n8n-memory-redis", "{ memory: postgres }");
    expect(files).toEqual([]);
    expect(formatForTest(diagnostics.filter((d) => d.severity === "error"))).toBe(
      "brain.yaml:0:0 error BRN503 targets.n8n.memoryCredential is required when targets.n8n.memory is postgres: name the n8n Postgres credential",
    );
  });

  it("is deterministic: two builds give byte-identical files", async () => {
    const a = await emitTarget(n8n, fixtureBrain("n8n-conformance"));
    const b = await emitTarget(n8n, fixtureBrain("n8n-conformance"));
    expect(b.files).toEqual(a.files);
    for (const f of a.files) expect(f.contents.endsWith("}\n") || f.contents.endsWith("]\n")).toBe(true);
  });
});

describe("what an n8n workflow cannot express (BRN509)", () => {
  /** The BRN509 messages of a copy of a fixture brain after `edit`. */
  async function limitsOf(fixture: string, edit: (dir: string) => void): Promise<string[]> {
    const { dir, cleanup } = tempCopy(fixtureBrain(fixture));
    try {
      edit(dir);
      const { diagnostics } = await emitTarget(n8n, dir);
      return diagnostics.filter((d) => d.code === "BRN509").map((d) => d.message);
    } finally {
      cleanup();
    }
  }

  it("reports a heartbeat interval the Schedule Trigger can only approximate, as it does for schedules", async () => {
    const messages = await limitsOf("n8n-schedules", (dir) => {
      const agent = join(dir, "agents/ticker.yaml");
      writeFileSync(agent, readFileSync(agent, "utf8").replace("heartbeat: { every: 30m,", "heartbeat: { every: 1500ms,"));
    });
    expect(messages).toContain('n8n: agent "ticker": a Schedule Trigger cannot fire every 1500ms; the heartbeat fires at the nearest interval n8n can express ({"interval":[{"field":"seconds","secondsInterval":2}]})');
    expect(messages.filter((m) => m.includes("cannot fire every"))).toHaveLength(2); // and the 90m schedule
  });

  it("reports path and host fences whose allow lists intersect to nothing (nothing allowed, not unset)", async () => {
    const messages = await limitsOf("n8n-minimal", (dir) => {
      mkdirSync(join(dir, "policies"));
      writeFileSync(join(dir, "policies/a.yaml"), 'description: A.\ntools:\n  paths: { allow: ["/srv/a/**"] }\n  network: { allow: [a.example] }\n');
      writeFileSync(join(dir, "policies/b.yaml"), 'description: B.\ntools:\n  paths: { allow: ["/srv/b/**"] }\n  network: { allow: [b.example] }\n');
      writeFileSync(join(dir, "agents/helper.yaml"), "name: Helper\ndescription: Answers questions.\nprompt: helper\npolicies: [a, b]\n");
    });
    const unenforced = messages.find((m) => m.includes("an n8n workflow cannot enforce"));
    expect(unenforced).toContain("tools.network, tools.paths;");
  });
});
