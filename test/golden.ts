import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import type { Target } from "../src/emit/target.js";
import { emitTarget, exampleBrain, fixtureBrain, formatForTest } from "./helpers.js";

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

/**
 * Golden tests of one target: for the example brain and each named fixture brain
 * (test/fixtures/brains/<name>/), every emitted file must equal `targets/<target>/__golden__/<case>/<path>`,
 * and no golden file may be left over. Review changes with `git diff`; update with `npx vitest run -u`.
 * `errorsOk` lists the diagnostics codes a case may report (the target's check() must otherwise be clean).
 */
export function goldenTests(target: Target, goldenRoot: string, fixtures: string[], options: { env?: Record<string, string> } = {}): void {
  const cases: [string, string][] = [["example", exampleBrain], ...fixtures.map((f): [string, string] => [f, fixtureBrain(f)])];
  for (const [name, root] of cases) {
    it(`${target.name} golden: ${name}`, async () => {
      const { files, diagnostics } = await emitTarget(target, root, options.env?.[name]);
      const errors = diagnostics.filter((d) => d.severity === "error");
      expect(errors, formatForTest(errors)).toEqual([]);
      const dir = join(goldenRoot, name);
      for (const f of files) await expect(f.contents).toMatchFileSnapshot(join(dir, f.path));
      const produced = new Set(files.map((f) => f.path));
      expect(listFiles(dir).filter((p) => !produced.has(p)), "golden files the target no longer produces").toEqual([]);
    });
  }
}
