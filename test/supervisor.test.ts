/**
 * The supervisor target (targets/supervisor/): `bundle.json` keeps env references as `{"$env": …}`
 * (never resolved), is canonical JSON (sorted keys, 2-space indent, LF, trailing newline) and carries a
 * contentHash of itself; `brain.ts` type-checks with `tsc --noEmit` under strict settings.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { canonicalJson, sha256Hex, sortedJson, withMember } from "../src/emit/canonical.js";
import supervisor from "../targets/supervisor/index.js";
import { emitTarget, exampleBrain, repoRoot, tempCopy } from "./helpers.js";

const minimal = join(repoRoot, "test/fixtures/valid/minimal");
const bundleOf = async (root: string, env?: string) => {
  const { files, diagnostics } = await emitTarget(supervisor, root, env);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const text = files.find((f) => f.path === "bundle.json")!.contents;
  return { text, bundle: JSON.parse(text), files };
};

describe("withMember (the contentHash joins the bundle's text without a second serialization)", () => {
  it("gives canonicalJson of the object with the member, wherever the key sorts", () => {
    const objects: Record<string, unknown>[] = [
      {},
      { a: 1 },
      { z: 1 },
      { a: { k: [1, { m: "x" }] }, z: "end" },
      { 'quo"te': 1, "\\": "back\nslash", zz: { "  \"k": "\n  \"k\": " } },
      { a: 1, b: [], c: {}, d: null },
    ];
    for (const object of objects) {
      for (const [key, value] of [["k", "v"], ["0", { n: [1, 2] }], ["~", []], ["b0", null]] as const) {
        if (key in object) continue;
        expect(withMember(canonicalJson(object), key, value)).toBe(canonicalJson({ ...object, [key]: value }));
      }
    }
    expect(withMember(sortedJson({ a: { zz: 1 }, y: 2 }), "m", 3)).toBe('{\n  "a": {\n    "zz": 1\n  },\n  "m": 3,\n  "y": 2\n}\n');
  });
});

describe("bundle.json", () => {
  it("keeps env references as {$env} objects, with defaults, and never resolves them", async () => {
    process.env.OPENAI_API_KEY = "resolved-value-must-not-appear";
    try {
      const { text, bundle } = await bundleOf(minimal);
      expect(bundle.gateway).toEqual({ apiKey: { $env: "GATEWAY_KEY" }, baseUrl: { $env: "GATEWAY_URL", default: "http://127.0.0.1:4000/v1" } });
      expect(bundle.providers.openai.apiKey).toEqual({ $env: "OPENAI_API_KEY" });
      expect(bundle.mcpServers.search.headers.Authorization).toEqual({ $env: "SEARCH_TOKEN" });
      expect(text).not.toContain("${env:");
      expect(text).not.toContain("resolved-value-must-not-appear");
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  it("writes strings mixing text and references as {$concat}", async () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      const models = readFileSync(join(dir, "models.yaml"), "utf8").replace('baseUrl: "http://127.0.0.1:8000/v1"', 'baseUrl: "http://${env:LOCAL_HOST:-127.0.0.1}:8000/v1"');
      writeFileSync(join(dir, "models.yaml"), models);
      const { bundle } = await bundleOf(dir);
      expect(bundle.providers.local.baseUrl).toEqual({ $concat: ["http://", { $env: "LOCAL_HOST", default: "127.0.0.1" }, ":8000/v1"] });
      expect(bundle.models.small.baseUrl).toEqual(bundle.providers.local.baseUrl);
    } finally {
      cleanup();
    }
  });

  it("is canonical JSON: sorted keys at every level, 2-space indent, LF, one trailing newline", async () => {
    for (const root of [minimal, exampleBrain]) {
      const { text, bundle } = await bundleOf(root);
      expect(text).toBe(canonicalJson(bundle));
      expect(text.endsWith("}\n")).toBe(true);
      expect(text).not.toContain("\r");
    }
  });

  it("carries the sha256 of its canonical JSON without the hash", async () => {
    const { bundle } = await bundleOf(minimal);
    const { contentHash, ...body } = bundle;
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash).toBe(sha256Hex(canonicalJson(body)));
  });

  it("holds each agent's routes, effective policy, provenance, rendered prompts and budgets", async () => {
    const { bundle } = await bundleOf(minimal);
    const watcher = bundle.agents.watcher;
    expect(Object.keys(watcher.routes).sort()).toEqual(["daily_report", "heartbeat_check", "status_polling"]);
    expect(watcher.routes.daily_report.chain.map((m: { id: string }) => m.id)).toEqual(["big", "small"]);
    expect(watcher.routes.heartbeat_check).toMatchObject({ tier: "cheap", budget: { dailyUsd: 1 } });
    expect(watcher.policy.loop.maxSteps).toBe(10);
    expect(watcher.provenance["loop.maxSteps"]).toEqual(["policies/tight.yaml"]);
    expect(watcher.prompts.instructions).toMatch(/^You are Watcher of mini\./);
    expect(watcher.prompts.persona).toBe("Be calm and brief.\n");
    expect(watcher.budget).toEqual({ dailyUsd: 2 });
    expect(bundle.budgets).toMatchObject({ global: { dailyUsd: 10, monthlyUsd: 200 }, onExceeded: "block", agents: { watcher: { dailyUsd: 2 } } });
    expect(bundle.brain).toEqual({ name: "mini", description: "A minimal brain for brainc's tests.", env: "default", sources: expect.arrayContaining(["brain.yaml", "agents/watcher.yaml", "prompts/_rules.md"]) });
  });

  it("an overlay gives its own bundle (env, merged values, the overlay among the sources)", async () => {
    const base = (await bundleOf(minimal)).bundle;
    const prod = (await bundleOf(minimal, "prod")).bundle;
    expect(prod.brain.env).toBe("prod");
    expect(prod.brain.sources).toContain("overlays/prod.yaml");
    expect(prod.budgets.global).toEqual({ dailyUsd: 20, monthlyUsd: 200 });
    expect(prod.agents.watcher.schedules).toEqual([{ every: "1m", task: "status_polling", message: "Check the URL." }]);
    expect(prod.contentHash).not.toBe(base.contentHash);
  });
});

describe("brain.ts", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const typeCheck = (files: Record<string, string>) => {
    dir = mkdtempSync(join(tmpdir(), "brainc-tsc-"));
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(dir, name), contents);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }),
    );
    return spawnSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
  };

  // The @ts-expect-error lines make the check non-vacuous: tsc fails (TS2578) if a wrong id or input were accepted.
  it("type-checks with tsc --noEmit (strict), and its types reject wrong ids and inputs", async () => {
    const { files } = await bundleOf(exampleBrain);
    const brainTs = files.find((f) => f.path === "brain.ts")!.contents;
    expect(brainTs).toMatch(/^\/\/ Generated by brainc/);
    const usage = [
      'import { agentIds, taskClasses, toolIds, type AgentId, type TaskClass, type ToolTypes, type HttpCheckInput } from "./brain.js";',
      'const agent: AgentId = "uptime-monitor";',
      'const task: TaskClass = "heartbeat_check";',
      'const input: HttpCheckInput = { url: "https://example.com", timeoutMs: 500 };',
      'const viaMap: ToolTypes["http-check"]["input"] = input;',
      "// @ts-expect-error: not an agent of the brain",
      'const wrong: AgentId = "nobody";',
      "// @ts-expect-error: url is required",
      "const missing: HttpCheckInput = { timeoutMs: 500 };",
      "export const all = [agent, task, viaMap, wrong, missing, agentIds.length, taskClasses.length, toolIds.length];",
      "",
    ].join("\n");
    const result = typeCheck({ "brain.ts": brainTs, "use.ts": usage });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);

  it("type-checks when tool ids share a PascalCase name (a-b, a--b) and schemas share definition names", async () => {
    const { buildTypeScript } = await import("../targets/supervisor/typescript.js");
    const withItem = (type: string) => ({ type: "object", properties: { item: { $ref: "#/definitions/item" }, named: { $ref: "#one" } }, definitions: { item: { type }, other: { $id: "#one", type } } });
    const brainTs = await buildTypeScript({ name: "b", env: "default", agentIds: ["a"], taskClasses: ["t"], tools: [{ id: "a-b", input: withItem("string") }, { id: "a--b", input: withItem("integer"), output: withItem("boolean") }, { id: "check2", input: { type: "object" } }, { id: "check-2", input: { type: "object" } }] });
    expect(brainTs).toMatch(/export interface A_BInput \{/);
    expect(brainTs).toMatch(/export interface A__BInput \{/);
    expect(brainTs).toMatch(/export type A__BOutputItem = boolean;/);
    const usage = 'import type { A_BInput, A__BInput, Check2Input, Check_2Input } from "./brain.js";\nexport const x: A_BInput = { item: "s" };\nexport const y: A__BInput = { item: 1 };\nexport const z: [Check2Input, Check_2Input] = [{}, {}];\n';
    const result = typeCheck({ "brain.ts": brainTs, "use.ts": usage });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);
});

describe("brain.ts's cache key (reusing brain.ts from the output folder)", () => {
  afterEach(() => {
    vi.doUnmock("node:fs");
    vi.resetModules();
  });

  // A key blind to a package that shapes the text would let `build` keep a brain.ts that `build --check`
  // (which always regenerates it) calls out of date, and no build would ever fix it.
  it("changes with the version of every package the generator depends on, TypeScript's printer (@ts-morph/common) included", async () => {
    const input = { name: "b", env: "default", agentIds: ["a"], taskClasses: ["t"], tools: [{ id: "x", input: { type: "object" } }] };
    /** The key computed afresh, with `bumped`'s installed package.json reading version 99.x. */
    const key = async (bumped?: string) => {
      vi.resetModules();
      vi.doMock("node:fs", async (importOriginal) => {
        const fs = await importOriginal<typeof import("node:fs")>();
        const readFileSync = ((path: string, ...rest: unknown[]) => {
          const contents = (fs.readFileSync as (...a: unknown[]) => string | Buffer)(path, ...rest);
          return bumped && String(path).endsWith(`/node_modules/${bumped}/package.json`) ? String(contents).replace(/"version":\s*"/, '"version": "99.') : contents;
        }) as typeof fs.readFileSync;
        return { ...fs, readFileSync, default: { ...fs, readFileSync } };
      });
      const { typeScriptKey } = await import("../targets/supervisor/typescript.js");
      return typeScriptKey(input);
    };
    const base = await key();
    expect(await key()).toBe(base);
    for (const name of ["json-schema-to-typescript", "json-schema-traverse", "ts-morph", "@ts-morph/common", "lodash", "@apidevtools/json-schema-ref-parser"]) expect(await key(name), name).not.toBe(base);
  });
});
