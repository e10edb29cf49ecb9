import { readFileSync, writeFileSync } from "node:fs";
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
