/**
 * No input produces a stack trace: a seeded fuzz over the base brain (test/fixtures/valid/minimal/).
 * Each round breaks one file in a random way (truncation, a deleted, doubled or re-indented line, stray
 * YAML or Handlebars punctuation, random bytes) and compiles the brain in-process, as `brainc validate`
 * (every overlay) and as a build (render included). brainc must answer with diagnostics: never a throw,
 * never BRN900, exit code 0 or 1 only.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileBrain } from "../src/compile.js";
import { minimalBrain } from "./corpus.js";
import { runCli, tempCopy } from "./helpers.js";

/** Rounds and seed; BRAINC_FUZZ_ROUNDS and BRAINC_FUZZ_SEED override them for a deeper local run. */
const ROUNDS = Number(process.env.BRAINC_FUZZ_ROUNDS ?? 150);
const SEED = Number(process.env.BRAINC_FUZZ_SEED ?? 20261121);

function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const STRAYS = ["{", "}", "[", "]", ":", "- ", "&a ", "*a", "!!binary ", "{{", "}}", "{{#each}}", "{{/if}}", "{{> x}}", "${", "${env:}", "\t", "\0", "\u2028", '"', "'", "<<: *a\n", "---\n", "~", "null", "0x", "1e999"];

/** Returns a randomly broken copy of `text`, and what was done (for the failure message). */
function mutate(text: string, random: (n: number) => number): [string, string] {
  const lines = text.split("\n");
  const at = random(Math.max(1, text.length));
  const line = random(lines.length);
  switch (random(7)) {
    case 0:
      return [text.slice(0, at), `truncate at ${at}`];
    case 1:
      return [lines.filter((_, i) => i !== line).join("\n"), `delete line ${line + 1}`];
    case 2:
      return [[...lines.slice(0, line + 1), lines[line], ...lines.slice(line + 1)].join("\n"), `double line ${line + 1}`];
    case 3:
      return [lines.map((l, i) => (i === line ? ` ${l}` : l)).join("\n"), `indent line ${line + 1}`];
    case 4: {
      const stray = STRAYS[random(STRAYS.length)];
      return [text.slice(0, at) + stray + text.slice(at), `insert ${JSON.stringify(stray)} at ${at}`];
    }
    case 5:
      return [lines.map((l, i) => (i === line ? l.replace(/:\s.*$/, ": [") : l)).join("\n"), `open a list on line ${line + 1}`];
    default: {
      const bytes = Buffer.from(text);
      const pos = random(Math.max(1, bytes.length));
      bytes[pos] = random(256);
      return [bytes.toString("latin1"), `byte ${pos} := random`];
    }
  }
}

describe("fuzz: no input produces a stack trace", () => {
  let work: { dir: string; cleanup: () => void };
  const files: string[] = [];
  beforeAll(() => {
    work = tempCopy(minimalBrain);
    for (const e of readdirSync(minimalBrain, { recursive: true, withFileTypes: true })) if (e.isFile()) files.push(join(e.parentPath, e.name).slice(minimalBrain.length + 1));
    files.sort();
  });
  afterAll(() => work.cleanup());

  it(`${ROUNDS} rounds of one broken file each`, async () => {
    const random = prng(SEED);
    const codes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const file = files[random(files.length)];
      const original = readFileSync(join(minimalBrain, file), "utf8");
      const [broken, how] = mutate(original, random);
      writeFileSync(join(work.dir, file), broken);
      const what = `round ${round}: ${file}: ${how}`;
      try {
        const { code, stdout, stderr } = await runCli(["validate", "--brain", ".", "--format", "json"], work.dir);
        expect([0, 1], `${what}\n${stdout}${stderr}`).toContain(code);
        const diagnostics = JSON.parse(stdout) as { code: string }[];
        expect(diagnostics.map((d) => d.code), what).not.toContain("BRN900");
        diagnostics.forEach((d) => codes.add(d.code));
        const compiled = await compileBrain(work.dir);
        expect(compiled.brain !== undefined || compiled.diagnostics.some((d) => d.severity === "error"), what).toBe(true);
      } finally {
        writeFileSync(join(work.dir, file), original);
      }
    }
    // The fuzz reaches many different diagnostics (it is not stuck on one kind of breakage).
    expect(codes.size).toBeGreaterThan(10);
  }, Math.max(60_000, ROUNDS * 400));
});
