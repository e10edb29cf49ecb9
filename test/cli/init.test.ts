import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import picomatch from "picomatch";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureBrain, repoRoot, runCli } from "../helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "brainc-init-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const listFiles = (dir: string) => (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[]).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

describe("brainc init", () => {
  it("scaffolds a brain that validates without a single diagnostic, with editor settings and a workflow", async () => {
    const dir = tempDir();
    const r = await runCli(["init", "project"], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Outside a project that has brainc, the next step installs it first (from this checkout: it is not a registry install).
    expect(r.stderr).toContain(`next: cd project && npm install --save-dev ${JSON.stringify(repoRoot.replace(/[\\/]$/, ""))} && npx brainc validate --brain brain && npx brainc build\n`);
    expect(r.stderr).toContain("note: that pins brainc to a folder of this machine; for .github/workflows/brain.yml (npm ci), pin a place CI reaches instead");
    const project = join(dir, "project");
    const validated = await runCli(["validate", "--brain", "brain", "--strict"], project);
    expect(validated.stdout).toBe("");
    expect(validated.code).toBe(0);

    // Every schema mapped in .vscode/settings.json exists, and every brain YAML file is matched by exactly one.
    const settings = JSON.parse(readFileSync(join(project, ".vscode/settings.json"), "utf8")) as { "yaml.schemas": Record<string, string[]> };
    const mapped = Object.entries(settings["yaml.schemas"]);
    for (const [schema] of mapped) expect(existsSync(join(project, schema)), schema).toBe(true);
    const yamlFiles = listFiles(project).filter((f) => f.startsWith("brain/") && f.endsWith(".yaml"));
    for (const file of yamlFiles) expect(mapped.filter(([, globs]) => picomatch(globs)(file)).map(([s]) => s), file).toHaveLength(1);
    expect(mapped.find(([, globs]) => picomatch(globs)("brain/agents/researcher.yaml"))?.[0]).toBe("./.brainc/schemas/agent.schema.json");
    // The schemas are brainc's own.
    expect(readFileSync(join(project, ".brainc/schemas/tool.schema.json"), "utf8")).toBe(readFileSync(join(repoRoot, "schemas/tool.schema.json"), "utf8"));

    const workflow = parse(readFileSync(join(project, ".github/workflows/brain.yml"), "utf8")) as { jobs: { brain: { steps: { run?: string }[] } } };
    const runs = workflow.jobs.brain.steps.map((s) => s.run ?? "").join("\n");
    // brainc as the project's package.json pins it, never whatever the registry serves under the name.
    expect(runs).toMatch(/^npm ci$/m);
    expect(runs).not.toMatch(/npm (install|i) /);
    expect(runs).toContain("brainc validate --format github");
    expect(runs).toContain("brainc build --check");
    expect(runs).toMatch(/brainc diff --against "origin\/\$\{\{ github\.base_ref \}\}" --format markdown/);
  });

  it("never overwrites: with any of its files present it writes nothing and exits 1", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, ".vscode"));
    writeFileSync(join(dir, ".vscode/settings.json"), "{}\n");
    const r = await runCli(["init"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("error BRN508: .vscode/settings.json already exists; brainc init never overwrites files and wrote nothing");
    expect(listFiles(dir)).toEqual([".vscode/settings.json"]);
    expect(readFileSync(join(dir, ".vscode/settings.json"), "utf8")).toBe("{}\n");

    const again = tempDir();
    expect((await runCli(["init"], again)).code).toBe(0);
    const before = listFiles(again).map((f) => [f, readFileSync(join(again, f), "utf8")]);
    const second = await runCli(["init"], again);
    expect(second.code).toBe(1);
    expect(second.stdout.match(/BRN508/g)?.length).toBe(1);
    expect(second.stdout).toContain(`error BRN508: ${before.length} of the files it writes already exist (brain/brain.yaml, brain/models.yaml, brain/routing.yaml, …); brainc init never overwrites files and wrote nothing`);
    expect(listFiles(again).map((f) => [f, readFileSync(join(again, f), "utf8")])).toEqual(before);
  });
});

describe("brainc schema", () => {
  it("writes brainc's JSON Schemas, rewriting only what differs", async () => {
    const dir = tempDir();
    const r = await runCli(["schema", "--out", "s"], dir);
    expect(r.code).toBe(0);
    const own = readdirSync(join(repoRoot, "schemas")).filter((f) => f.endsWith(".schema.json")).sort();
    expect(readdirSync(join(dir, "s")).sort()).toEqual(own);
    for (const f of own) expect(readFileSync(join(dir, "s", f), "utf8")).toBe(readFileSync(join(repoRoot, "schemas", f), "utf8"));
    expect(r.stderr).toBe(`brainc: wrote ${own.length} schemas in s (${own.length} schemas)\n`);
    writeFileSync(join(dir, "s/agent.schema.json"), "{}");
    expect((await runCli(["schema", "--out", "s"], dir)).stderr).toBe(`brainc: wrote 1 schema in s (${own.length} schemas)\n`);
    expect((await runCli(["schema", "--out", "s"], dir)).stderr).toBe(`brainc: schemas up to date in s (${own.length} schemas)\n`);
    expect((await runCli(["schema"], dir)).code).toBe(0);
    expect(existsSync(join(dir, ".brainc/schemas/brain.schema.json"))).toBe(true);
  });
});

describe("brainc validate --format sarif", () => {
  it("writes a SARIF 2.1.0 log with rules and regions for code scanning", async () => {
    const dir = tempDir();
    const brain = join(dir, "brain");
    mkdirSync(brain);
    for (const f of ["brain.yaml", "models.yaml", "routing.yaml", "policies/baseline.yaml", "tools/web-fetch.yaml", "prompts/a.md", "prompts/helper.md", "agents/helper.yaml"]) {
      mkdirSync(join(brain, f, ".."), { recursive: true });
      writeFileSync(join(brain, f), readFileSync(join(fixtureBrain("workflow-small"), f)));
    }
    writeFileSync(join(brain, "agents/a.yaml"), "name: A\nprompt: a\ntask: chat\nmodle: x\n");
    const r = await runCli(["validate", "--brain", "brain", "--format", "sarif"], dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("brainc");
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(["BRN101"]);
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === "BRN101");
    expect(result.level).toBe("error");
    expect(result.message.text).toContain('unknown key "modle"');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "brain/agents/a.yaml" }, region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 6 } });
    expect(r.stderr).toBe(""); // nothing but the log on stdout
  });
});
