/**
 * The loader (src/load/): a file's kind comes from its place and its id from its name; dotfiles and
 * README.md are skipped; files are read as UTF-8 (BOM dropped), parsed as YAML 1.2 with positions, and
 * prompts split into frontmatter and body. The rejections themselves (BRN001–BRN012) are pinned by the
 * invalid corpus (test/invalid.test.ts); here are the rules around them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBrain } from "../src/load/load.js";
import { classify, isSkipped } from "../src/load/places.js";
import { parseYaml, rangeAt } from "../src/load/yaml.js";
import { repoRoot, tempCopy } from "./helpers.js";

const minimal = join(repoRoot, "test/fixtures/valid/minimal");

describe("places", () => {
  const table: [string, ReturnType<typeof classify>][] = [
    ["brain.yaml", { kind: "manifest", id: "brain" }],
    ["models.yaml", { kind: "models", id: "models" }],
    ["routing.yml", { kind: "routing", id: "routing" }],
    ["memory.yaml", { kind: "memory", id: "memory" }],
    ["agents/uptime-monitor.yaml", { kind: "agent", id: "uptime-monitor" }],
    ["tools/http-check.yml", { kind: "tool", id: "http-check" }],
    ["policies/baseline.yaml", { kind: "policy", id: "baseline" }],
    ["overlays/prod.yaml", { kind: "overlay", id: "prod" }],
    ["prompts/uptime-monitor.md", { kind: "prompt", id: "uptime-monitor" }],
    ["prompts/ops/personas/calm.md", { kind: "prompt", id: "ops/personas/calm" }],
    ["prompts/_safety-rules.md", { kind: "partial", id: "safety-rules" }],
    ["prompts/nested/_footer.md", { kind: "partial", id: "footer" }],
    ["agent/x.yaml", undefined],
    ["agents/sub/x.yaml", undefined],
    ["agents/x.json", undefined],
    ["prompts/x.txt", undefined],
    ["brain.json", undefined],
    ["settings.yaml", undefined],
    ["tools.yaml", undefined],
  ];
  for (const [path, want] of table) it(`${path} → ${want ? `${want.kind} ${want.id}` : "no place"}`, () => expect(classify(path)).toEqual(want));

  it("skips dotfiles and README.md (any case), nothing else", () => {
    expect([".git", ".DS_Store", "README.md", "readme.md", "Readme.MD"].every(isSkipped)).toBe(true);
    expect(["README.txt", "notes.md", "x.yaml"].some(isSkipped)).toBe(false);
  });
});

describe("loadBrain", () => {
  it("reads every file of a brain, sorted by path, with kinds and ids", () => {
    const { sources, diagnostics } = loadBrain(minimal);
    expect(diagnostics).toEqual([]);
    expect(sources!.files.map((f) => `${f.path} ${f.kind} ${f.id}`)).toEqual([
      "agents/watcher.yaml agent watcher",
      "brain.yaml manifest brain",
      "memory.yaml memory memory",
      "models.yaml models models",
      "overlays/prod.yaml overlay prod",
      "policies/baseline.yaml policy baseline",
      "policies/tight.yaml policy tight",
      "prompts/_rules.md partial rules",
      "prompts/personas/calm.md prompt personas/calm",
      "prompts/watcher.md prompt watcher",
      "routing.yaml routing routing",
      "tools/http-check.yaml tool http-check",
      "tools/search.yaml tool search",
    ]);
  });

  it("ignores dot-folders, dotfiles and READMEs anywhere", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      mkdirSync(join(dir, ".git/objects"), { recursive: true });
      writeFileSync(join(dir, ".git/objects/x"), "binary?");
      writeFileSync(join(dir, ".editorconfig"), "root = true\n");
      writeFileSync(join(dir, "README.md"), "# my brain\n");
      writeFileSync(join(dir, "agents/README.md"), "# agents\n");
      expect(loadBrain(dir).diagnostics).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it("splits prompt frontmatter from the body and knows the body's first line", () => {
    const { sources } = loadBrain(minimal);
    const watcher = sources!.files.find((f) => f.path === "prompts/watcher.md")!;
    expect(watcher.body!.line).toBe(6);
    expect(watcher.body!.text.startsWith("You are {{agent.name}}")).toBe(true);
    expect(watcher.yaml!.value).toEqual({ description: "Instructions for the watcher.", input: { url: { type: "string", default: "https://example.com" } } });
    const calm = sources!.files.find((f) => f.path === "prompts/personas/calm.md")!;
    expect(calm.body).toEqual({ text: "Be calm and brief.\n", line: 1 });
    expect(calm.yaml).toBeUndefined();
  });

  it("reports frontmatter errors at their line in the file, not in the frontmatter", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      writeFileSync(join(dir, "prompts/watcher.md"), "---\ndescription: a\ndescription: b\n---\nbody\n");
      const { diagnostics } = loadBrain(dir);
      expect(diagnostics.map((d) => [d.code, d.file, d.range?.start.line, d.range?.start.column])).toEqual([["BRN003", "prompts/watcher.md", 3, 1]]);
    } finally {
      cleanup();
    }
  });

  it("an empty frontmatter is fine", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      writeFileSync(join(dir, "prompts/personas/calm.md"), "---\n---\nBe calm.\n");
      const { sources, diagnostics } = loadBrain(dir);
      expect(diagnostics).toEqual([]);
      expect(sources!.files.find((f) => f.id === "personas/calm")!.body).toEqual({ text: "Be calm.\n", line: 3 });
    } finally {
      cleanup();
    }
  });

  it("a missing brain.yaml is BRN007 and nothing else", () => {
    expect(loadBrain(join(repoRoot, "test/fixtures")).diagnostics.map((d) => d.code)).toEqual(["BRN007"]);
    expect(loadBrain("/nonexistent/brain").diagnostics.map((d) => d.code)).toEqual(["BRN007"]);
  });
});

describe("YAML", () => {
  it("is YAML 1.2: yes/no/on/off are strings, not booleans; 0o17 is octal, 017 is a number", () => {
    const { parsed } = parseYaml("x.yaml", "a: yes\nb: off\nc: 0o17\nd: 017\ne: true\n");
    expect(parsed!.value).toEqual({ a: "yes", b: "off", c: 15, d: 17, e: true });
  });

  it("expands anchors, aliases and merge keys", () => {
    const { parsed, diagnostics } = parseYaml("x.yaml", "base: &b { x: 1, y: 2 }\nderived:\n  <<: *b\n  y: 3\n");
    expect(diagnostics).toEqual([]);
    expect(parsed!.value).toEqual({ base: { x: 1, y: 2 }, derived: { x: 1, y: 3 } });
  });

  it("points JSON pointers back at keys and values (through aliases and merge keys)", () => {
    const { parsed } = parseYaml("x.yaml", "base: &b { x: 1, y: 2 }\nderived:\n  <<: *b\n  y: 3\nlist:\n  - a\n  - { k: v }\n");
    const at = (pointer: string, part: "key" | "value" = "value") => {
      const r = rangeAt(parsed!, pointer, part);
      return `${r.start.line}:${r.start.column}`;
    };
    expect(at("/derived/y")).toBe("4:6");
    expect(at("/derived/y", "key")).toBe("4:3");
    expect(at("/derived/x")).toBe("1:15");
    expect(at("/list/1/k")).toBe("7:10");
    expect(at("/list/9")).toBe("6:3");
    expect(at("/nope/deeper")).toBe("1:1");
  });

  it("a syntax error is BRN002 at the parser's line:column, with a one-line message", () => {
    const { diagnostics } = parseYaml("x.yaml", "a: 1\nb: [1, 2\nc: 3\n");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "BRN002", file: "x.yaml", range: { start: { line: 3, column: 1 } } });
    expect(diagnostics[0].message).not.toContain("\n");
  });
});
