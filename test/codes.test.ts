/**
 * Every diagnostic code of CODES (src/diagnostics/codes.ts) is produced by at least one test: a case of
 * the invalid corpus (test/fixtures/invalid/, whose expected.json names it), or a named unit test listed
 * below (codes a brain on disk cannot show: files built at test time, command-line problems, targets).
 * Target codes (BRN6xx OpenClaw, BRN7xx n8n, BRN8xx LiteLLM) belong to the targets' own tests, which
 * must mention them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES } from "../src/diagnostics/codes.js";
import { invalidCases } from "./corpus.js";
import { repoRoot } from "./helpers.js";

/** Codes covered by a named unit test instead of a corpus case: code → [test file, test title]. */
const UNIT_TESTS: Record<string, [string, string]> = {
  BRN004: ["test/invalid.test.ts", "BRN004: an alias bomb is an error, quickly (not a hang)"],
  BRN005: ["test/invalid.test.ts", "BRN005: a file over 1 MiB"],
  BRN006: ["test/invalid.test.ts", "BRN006: invalid UTF-8"],
  BRN013: ["test/invalid.test.ts", "BRN013: a link to a folder where a file belongs"],
  BRN402: ["test/cli.test.ts", "BRN402: an overlay that does not exist"],
  BRN501: ["test/cli.test.ts", "BRN501: an unknown target name"],
  BRN502: ["test/plugin.test.ts", "BRN502: a module that is not a Target"],
  BRN503: ["test/plugin.test.ts", "BRN503: options that break the target's optionsSchema, at brain.yaml's key"],
  BRN504: ["test/plugin.test.ts", "BRN504: a path outside its folder, or one emitted twice"],
  BRN505: ["test/plugin.test.ts", "BRN505: a target that throws"],
  BRN506: ["test/build.test.ts", "an output folder that cannot be written is BRN506, not a stack trace"],
  BRN507: ["test/build.test.ts", "--check exits 0 on a fresh build and 1 after a prompt is edited, writing nothing"],
  BRN508: ["test/build.test.ts", "never overwrites a foreign file where it would write (BRN508), and then writes nothing at all"],
  BRN509: ["test/plugin.test.ts", "BRN509 and BRN510: a target's limits (info) and its own validator's verdict (error)"],
  BRN510: ["test/plugin.test.ts", "BRN509 and BRN510: a target's limits (info) and its own validator's verdict (error)"],
  BRN511: ["targets/n8n/emit.test.ts", "a cron expression n8n's scheduler cannot parse (L, W, #, ?) is BRN511; month and weekday names are fine"],
  BRN512: ["targets/n8n/emit.test.ts", "cron schedules in two time zones are BRN512 (all run in the first)"],
  BRN513: ["targets/n8n/emit.test.ts", "an agent named credentials or error-handler is an error at its file, and nothing is emitted"],
  BRN514: ["targets/n8n/emit.test.ts", "unset while agents have webhook channels: one BRN514 warning naming them, and triggers without authentication"],
  BRN221: ["test/validate.test.ts", "warns at the prompt's own mention; a tool the agent has is fine"],
  BRN900: ["test/cli.test.ts", "BRN900: an unexpected exception is an internal error with exit 2, a 'please report' hint and no stack trace"],
  BRN901: ["test/cli.test.ts", "2 for incompatible flags (BRN901)"],
};

const TARGET_RANGES: [RegExp, string][] = [
  [/^BRN6\d\d$/, "targets/openclaw"],
  [/^BRN7\d\d$/, "targets/n8n"],
  [/^BRN8\d\d$/, "targets/litellm"],
];

function testSources(dir: string): string {
  let text = "";
  for (const e of readdirSync(join(repoRoot, dir), { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith(".test.ts")) text += readFileSync(join(e.parentPath, e.name), "utf8");
  }
  return text;
}

describe("diagnostic code coverage", () => {
  const corpus = new Map<string, string[]>();
  for (const [name, , expected] of invalidCases()) for (const d of expected) corpus.set(d.code, [...(corpus.get(d.code) ?? []), name]);

  it("every code the corpus expects exists", () => {
    expect([...corpus.keys()].filter((c) => !(c in CODES))).toEqual([]);
  });

  it("every case folder is named after a code it expects", () => {
    for (const [name, , expected] of invalidCases()) expect(expected.map((d) => d.code), name).toContain(name.slice(4, 10));
  });

  for (const code of Object.keys(CODES)) {
    it(`${code} (${CODES[code as keyof typeof CODES].name}) is produced by a test`, () => {
      const target = TARGET_RANGES.find(([re]) => re.test(code));
      if (target) {
        expect(testSources(target[1]), `no test under ${target[1]} mentions ${code}`).toContain(code);
        return;
      }
      const unit = UNIT_TESTS[code];
      if (unit) {
        expect(corpus.has(code), `${code} is in the corpus: drop it from UNIT_TESTS`).toBe(false);
        const source = readFileSync(join(repoRoot, unit[0]), "utf8");
        expect(source, `${unit[0]} has no test "${unit[1]}"`).toContain(`it(${JSON.stringify(unit[1])}`);
        expect(source, `${unit[0]} never mentions ${code}`).toContain(code);
        return;
      }
      expect(corpus.get(code), `${code}: add a case to test/fixtures/make-invalid.mjs, or a unit test to UNIT_TESTS`).toBeDefined();
    });
  }

  it("every code is documented in docs/diagnostics.md", () => {
    const docs = readFileSync(join(repoRoot, "docs/diagnostics.md"), "utf8");
    expect(Object.keys(CODES).filter((c) => !docs.includes(c))).toEqual([]);
  });
});
