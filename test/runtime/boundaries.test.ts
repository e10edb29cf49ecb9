import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backoffMs, durationMs } from "../../src/runtime/index.js";
import { repoRoot } from "../helpers.js";

describe("src/runtime", () => {
  it("imports nothing of brainc outside src/runtime, only Node and its own dependencies (architecture rule)", () => {
    const dir = join(repoRoot, "src/runtime");
    const allowed = /^(\.\/[a-z-]+\.js|node:[a-z/]+|ajv|ajv-formats|picomatch|shell-quote)$/;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(join(dir, file), "utf8");
      const specifiers = [...source.matchAll(/(?:from|import|require)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);
      for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(allowed);
    }
  });
});

describe("durations and backoff", () => {
  it("parses brain durations", () => {
    expect([durationMs("250ms"), durationMs("30s"), durationMs("5m"), durationMs("1h"), durationMs("2d")]).toEqual([250, 30_000, 300_000, 3_600_000, 172_800_000]);
    expect(durationMs("5 minutes")).toBeNaN();
  });

  it("grows exponentially, caps at max, and jitters as configured", () => {
    const b = { initial: "1s", max: "5s", multiplier: 2 } as const;
    expect([1, 2, 3, 4].map((n) => backoffMs({ ...b, jitter: "none" }, n))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffMs({ ...b, jitter: "full" }, 3, () => 0.5)).toBe(2000);
    expect(backoffMs({ ...b, jitter: "equal" }, 3, () => 0)).toBe(2000);
    expect(backoffMs({ ...b, jitter: "equal" }, 3, () => 1)).toBe(4000);
    expect(backoffMs(undefined, 1, () => 1)).toBe(1000);
  });
});
