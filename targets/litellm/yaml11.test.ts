import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { compileOk, exampleBrain, fixtureBrain } from "../../test/helpers.js";
import { buildLitellm } from "./config.js";
import { litellmFiles } from "./index.js";
import { pyyamlDivergences, pyyamlFloat, pyyamlMisreads, stringifyYaml11 } from "./yaml11.js";

/** PyYAML (the LiteLLM proxy's loader, `yaml.safe_load`), when python3 with PyYAML is installed. */
const python = spawnSync("python3", ["-c", "import yaml"], { encoding: "utf8" });
const hasPyYaml = python.status === 0;

/** The value PyYAML's safe_load reads from `text`, through JSON. */
function pyyamlLoad(text: string): unknown {
  const r = spawnSync("python3", ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"], { input: text, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** Strings and numbers that YAML 1.1 (PyYAML) reads as something else when written plain. */
const TRAPS: Record<string, unknown> = {
  bools: ["yes", "No", "ON", "off", "y", "n", "true", "False"],
  dates: ["2023-05-15", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5"],
  numbers: ["1_000", "017", "0x1F", "0b101", "+12", "1.", ".5", "6e-7", "1.0e+3", ".inf", "-.Inf", ".NaN"],
  sexagesimal: ["1:30", "-190:20:30", "1:30.5"],
  nulls: ["~", "null", "NULL", ""],
  specials: ["=", "<<", "os.environ/X", "a: b", "- x", "#c", "'q'", "\"q\"", " lead", "trail ", "multi\nline", "@x", "%x", "[a]", "{a}", "1.2.3"],
  floats: [6e-7, 2.5e-7, 1.1e-7, 0.0000022, 1e-10, 2.5, 0, 3, 1e21, -4.5e-9],
  keys: { on: 1, yes: 2, no: 3, "2023-05-15": 4, "1:30": 5, "<<": 6 },
};

describe("YAML 1.1 emission", () => {
  it("yaml (1.1 mode) reads the traps back unchanged", () => {
    expect(parse(stringifyYaml11(TRAPS), { version: "1.1" })).toEqual(TRAPS);
  });

  it.skipIf(!hasPyYaml)("PyYAML reads the traps back unchanged", () => {
    expect(pyyamlLoad(stringifyYaml11(TRAPS))).toEqual(TRAPS);
  });

  it("knows PyYAML's implicit types", () => {
    for (const s of ["yes", "On", "2023-05-15", "1:30", "017", "1_000", "1.5", "=", "<<", "~", ""]) expect(pyyamlMisreads(s), s).toBe(true);
    for (const s of ["y", "6e-7", "0o17", "os.environ/X", "acme-ops-cheap", "gpt-5"]) expect(pyyamlMisreads(s), s).toBe(false);
  });

  it("finds plain scalars that PyYAML types differently", () => {
    expect(pyyamlDivergences('a: 6e-7\nb: y\nc: "on"\nd: 1.5\ne: on\nf: 2023-05-15\ng: !!str 017\nh: text\n')).toEqual(["6e-7", "y"]);
    expect(pyyamlDivergences(stringifyYaml11(TRAPS))).toEqual([]);
  });

  it("writes floats with a dot and a signed exponent", () => {
    expect(pyyamlFloat(6e-7)).toBe("6.0e-7");
    expect(pyyamlFloat(1.5e-10)).toBe("1.5e-10");
    expect(pyyamlFloat(1e21)).toBe("1.0e+21");
    expect(pyyamlFloat(0.0000022)).toBe("0.0000022");
  });
});

describe("config.yaml round-trips through YAML 1.1", () => {
  // Every golden case (golden.test.ts), with the overlay it is built with, plus the example brain's prod overlay.
  const goldenCases = readdirSync(fileURLToPath(new URL("./__golden__", import.meta.url))).filter((c) => c !== "example").sort();
  const envOf: Record<string, string> = { "litellm-overlay": "staging" };
  const cases: [string, string, string?][] = [["example", exampleBrain], ["example (prod)", exampleBrain, "prod"], ...goldenCases.map((f): [string, string, string?] => [f, fixtureBrain(f), envOf[f]])];
  for (const [name, root, env] of cases) {
    it(`${name}: the emitted file is the intended object`, async () => {
      const brain = await compileOk(root, env);
      const intended = buildLitellm(brain, (brain.targetOptions.litellm ?? {}) as object).config;
      const text = litellmFiles(brain, (brain.targetOptions.litellm ?? {}) as object).files.find((f) => f.path === "config.yaml")!.contents;
      expect(parse(text, { version: "1.1" })).toEqual(intended);
      if (hasPyYaml) expect(pyyamlLoad(text)).toEqual(JSON.parse(JSON.stringify(intended)));
    });
  }
});
