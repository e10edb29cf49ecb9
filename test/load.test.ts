/**
 * The loader (src/load/): a file's kind comes from its place and its id from its name; dotfiles,
 * README.md and brainc's own output folders are skipped; files are read as UTF-8 (BOM dropped, CRLF and CR read
 * as LF), parsed as YAML 1.2 with positions, and prompts split into frontmatter and body. The rejections themselves (BRN001–BRN012) are pinned by the
 * invalid corpus (test/invalid.test.ts); here are the rules around them.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileBrain } from "../src/compile.js";
import { buildInMemory } from "../src/emit/build.js";
import { JOURNAL, MANIFEST } from "../src/load/places.js";
import { listFiles, loadBrain } from "../src/load/load.js";
import { classify, isSkipped } from "../src/load/places.js";
import { MAX_DEPTH, parseYaml, rangeAt } from "../src/load/yaml.js";
import { invalidCases } from "./corpus.js";
import { exampleBrain, repoRoot, runCli, tempCopy } from "./helpers.js";

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

  it("skips folders holding brainc's output manifest, or a first build's journal (any depth, not the root)", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      for (const [out, marker] of [["generated", MANIFEST], ["deploy/prod", MANIFEST], ["killed", JOURNAL]]) {
        mkdirSync(join(dir, out, "litellm"), { recursive: true });
        writeFileSync(join(dir, out, marker), "{}\n");
        writeFileSync(join(dir, out, "litellm/config.yaml"), "model_list: []\n");
      }
      mkdirSync(join(dir, "deploy/staging"));
      writeFileSync(join(dir, "deploy/staging/config.yaml"), "x: 1\n"); // no manifest beside it: still BRN001
      writeFileSync(join(dir, MANIFEST), "{}\n"); // at the root it marks nothing
      expect(loadBrain(dir).diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(["BRN001 deploy/staging/config.yaml"]);
      expect(listFiles(dir).filter((p) => /^(generated|deploy|killed)\//.test(p))).toEqual(["deploy/staging/config.yaml"]);
    } finally {
      cleanup();
    }
  });

  it("a .json file where a .yaml one belongs is BRN001 with a hint to rename it", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      writeFileSync(join(dir, "agents/second.json"), '{"name": "Second", "prompt": "watcher"}\n');
      expect(loadBrain(dir).diagnostics.map((d) => [d.code, d.file, d.hint])).toEqual([["BRN001", "agents/second.json", 'brain files are .yaml (JSON syntax is fine inside one): rename it to "agents/second.yaml"']]);
    } finally {
      cleanup();
    }
  });

  it("a brain at the repository root validates and checks clean after building into generated/", async () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      expect((await runCli(["build", "--brain", "."], dir)).code).toBe(0);
      expect(readdirSync(join(dir, "generated"))).toContain(MANIFEST);
      const validate = await runCli(["validate", "--brain", ".", "--format", "json"], dir);
      expect(JSON.parse(validate.stdout)).toEqual([]);
      expect(validate.code).toBe(0);
      expect((await runCli(["build", "--brain", ".", "--check"], dir)).code).toBe(0);
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

  it("frontmatter lines may end in spaces, the opening one as well as the closing one", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      writeFileSync(join(dir, "prompts/personas/calm.md"), "--- \ndescription: Calm.\n---\t\nBe calm.\n");
      const { sources, diagnostics } = loadBrain(dir);
      expect(diagnostics).toEqual([]);
      const calm = sources!.files.find((f) => f.id === "personas/calm")!;
      expect([calm.body, calm.yaml?.value]).toEqual([{ text: "Be calm.\n", line: 4 }, { description: "Calm." }]);
    } finally {
      cleanup();
    }
  });

  it("a second YAML document in a file is BRN002 in brainc's words", () => {
    expect(parseYaml("x.yaml", "a: 1\n---\nb: 2\n").diagnostics.map((d) => [d.code, d.range?.start.line, d.message, d.hint])).toEqual([
      ["BRN002", 2, "YAML syntax error: a brain file holds one YAML document, and a `---` line here starts another", "put each document in a file of its own"],
    ]);
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

  it.skipIf(process.platform === "win32")("a FIFO, or a link to one, is BRN013 at once (opening it does not wait for a writer)", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      execFileSync("mkfifo", [join(dir, "pipe"), join(dir, "tools/fifo.yaml")]);
      symlinkSync("../pipe", join(dir, "agents/linked.yaml"));
      const found = loadBrain(dir).diagnostics.map((d) => `${d.code} ${d.file}: ${d.message}`);
      expect(found).toContain("BRN013 agents/linked.yaml: cannot read the file: not a regular file");
      expect(found).toContain("BRN013 tools/fifo.yaml: cannot read the file: not a regular file");
    } finally {
      cleanup();
    }
  });

  it("a folder that cannot be listed is BRN013, not an internal error", () => {
    const unreadable: { path: string; error: string }[] = [];
    expect(listFiles(join(repoRoot, "test/fixtures/valid/minimal"), "no-such-folder", unreadable)).toEqual([]);
    expect(unreadable).toEqual([{ path: "no-such-folder", error: "ENOENT" }]);
  });

  it("a missing brain.yaml is BRN007 and nothing else", () => {
    expect(loadBrain(join(repoRoot, "test/fixtures")).diagnostics.map((d) => d.code)).toEqual(["BRN007"]);
    expect(loadBrain("/nonexistent/brain").diagnostics.map((d) => d.code)).toEqual(["BRN007"]);
  });
});

/**
 * Rewrites every text file under `dir` with `eol` line endings: CRLF (a Windows checkout with git's
 * autocrlf) or CR alone (classic Mac OS; YAML and CommonMark read it as a line break too).
 */
function withLineEndings(dir: string, eol: "\r\n" | "\r"): void {
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !/\.(md|ya?ml)$/.test(e.name)) continue;
    const path = join(e.parentPath, e.name);
    writeFileSync(path, readFileSync(path, "utf8").replace(/\r?\n/g, eol));
  }
}

describe.each([["CRLF", "\r\n"], ["CR", "\r"]] as const)("%s line endings", (_, eol) => {
  const toEol = (dir: string) => withLineEndings(dir, eol);
  it("are read as LF: prompt bodies, partials and YAML values hold no CR", () => {
    const { dir, cleanup } = tempCopy(minimal);
    try {
      toEol(dir);
      const { sources, diagnostics } = loadBrain(dir);
      expect(diagnostics).toEqual([]);
      const watcher = sources!.files.find((f) => f.path === "prompts/watcher.md")!;
      expect(watcher.body!.line).toBe(6);
      expect(watcher.body!.text.startsWith("You are {{agent.name}}")).toBe(true);
      expect(sources!.files.filter((f) => f.text.includes("\r")).map((f) => f.path)).toEqual([]);
      expect(JSON.stringify(sources!.files.map((f) => [f.body, f.yaml?.value]))).not.toContain("\\r");
    } finally {
      cleanup();
    }
  });

  it("a copy of the example brain with them builds byte-identical output (every target, every overlay)", async () => {
    const { dir, cleanup } = tempCopy(exampleBrain);
    try {
      toEol(dir);
      expect(readFileSync(join(dir, "brain.yaml"), "utf8")).toContain(eol);
      const files = async (root: string) => {
        const { outputs, diagnostics } = await buildInMemory(root, { target: [] }, root);
        expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        return outputs.flatMap((o) => o.files.map((f) => [f.path, f.contents]));
      };
      const lf = await files(exampleBrain);
      expect(lf.length).toBeGreaterThan(10);
      expect(await files(dir)).toEqual(lf);
    } finally {
      cleanup();
    }
  });

  it("diagnostics keep their line:column (the invalid corpus, converted)", async () => {
    for (const [name, brain, expected] of invalidCases()) {
      if (!expected.some((d) => d.line !== undefined)) continue;
      const { dir, cleanup } = tempCopy(brain);
      try {
        toEol(dir);
        const at = async (root: string) => (await compileBrain(root)).diagnostics.map((d) => `${d.code} ${d.file}:${d.range?.start.line}:${d.range?.start.column}`);
        expect(await at(dir), name).toEqual(await at(brain));
      } finally {
        cleanup();
      }
    }
  });
});

describe("YAML", () => {
  it("is YAML 1.2: yes/no/on/off are strings, not booleans; 0o17 is octal, 017 is a number", () => {
    const { parsed } = parseYaml("x.yaml", "a: yes\nb: off\nc: 0o17\nd: 017\ne: true\n");
    expect(parsed!.value).toEqual({ a: "yes", b: "off", c: 15, d: 17, e: true });
  });

  it("a merge of something other than a mapping, or an alias before its anchor, is BRN002 at its place (not an internal error)", () => {
    const at = (text: string) => parseYaml("x.yaml", text).diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column} ${d.message}`);
    expect(at("a: 1\n<<: 5\n")).toEqual(["BRN002 2:1 YAML error: Merge sources must be maps or map aliases"]);
    expect(at("a: &a [1]\nb:\n  <<: *a\n")).toEqual(["BRN002 3:3 YAML error: Merge sources must be maps or map aliases"]);
    expect(at("a: 1\nx: *nope\n")).toEqual(["BRN002 2:4 YAML error: Unresolved alias (the anchor must be set before the alias): nope"]);
  });

  it("a value nested more than MAX_DEPTH levels is BRN002 (deep enough to parse, too deep for the passes after)", () => {
    const nested = (depth: number) => `a: ${"[".repeat(depth)}1${"]".repeat(depth)}\n`;
    expect(parseYaml("x.yaml", nested(MAX_DEPTH - 1)).diagnostics).toEqual([]);
    const deep = parseYaml("x.yaml", nested(720), 1).diagnostics;
    expect(deep.map((d) => `${d.code} ${d.range?.start.line} ${d.message}`)).toEqual([`BRN002 2 YAML error: the value is nested more than ${MAX_DEPTH} levels deep`]);
  });

  it("a number JSON outputs cannot keep (beyond ±2^53, or not finite) is BRN002 at the number", () => {
    const at = (text: string) => parseYaml("x.yaml", text).diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column} ${d.message}`);
    expect(at("loop:\n  maxSteps: 123456789012345678901234567890\n")).toEqual(["BRN002 2:13 YAML error: the integer 1.2345678901234568e+29 is beyond ±2^53 (9007199254740991), so outputs would not keep it exact"]);
    expect(at("a: [1, .inf]\n")).toEqual(["BRN002 1:8 YAML error: Infinity is not a finite number, which no JSON output can hold"]);
    expect(at("a: .nan\n")).toEqual(["BRN002 1:4 YAML error: NaN is not a finite number, which no JSON output can hold"]);
    expect(at("a: 9007199254740991\nb: -15000000000000000000\nc: 0.1\n")).toEqual(["BRN002 2:4 YAML error: the integer -15000000000000000000 is beyond ±2^53 (9007199254740991), so outputs would not keep it exact"]);
    expect(at("a: 9007199254740991\nb: 1.5\nc: 0.1\n")).toEqual([]);
    // Written as a float (an exponent or a point), a large number is the double it was meant to be.
    expect(at("exclusiveMaximum: 1e+308\nb: [2.5E+20, 12345678901234567890.0]\n")).toEqual([]);
    expect(parseYaml("x.yaml", "---\nb: 1\nc: 12345678901234567890\n", 2).diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column}`)).toEqual(["5:4"]);
  });

  it("a value that YAML 1.1 tags make instead of JSON data (!!timestamp, !!binary, !!set, !!omap) is BRN002 at the value, with how to write it", () => {
    const at = (text: string) => parseYaml("x.yaml", text).diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column} ${d.message} | ${d.hint}`);
    const json = "not JSON data: brain values are strings, numbers, true/false, null, lists and mappings";
    expect(at("a:\n  since: { default: !!timestamp 2024-01-01 }\n")).toEqual([`BRN002 2:33 YAML error: \`!!timestamp\` makes a date, ${json} | write the date as a string: drop the tag (an unquoted date is a string in YAML 1.2)`]);
    expect(at("a: [!!binary aGVsbG8=]\n")).toEqual([`BRN002 1:14 YAML error: \`!!binary\` makes bytes, ${json} | write the data as a string (base64, say) without the tag`]);
    expect(at("a: !!set { x, y }\n")).toEqual([`BRN002 1:10 YAML error: \`!!set\` makes a set, ${json} | write a list`]);
    expect(at("a: !!omap [ { x: 1 } ]\n")).toEqual([`BRN002 1:11 YAML error: \`!!omap\` makes an ordered map, ${json} | write a mapping`]);
    // Tags that make JSON data are fine; an unquoted date is a string in YAML 1.2.
    expect(parseYaml("x.yaml", "a: !!pairs [ { x: 1 } ]\nb: !!str 5\nc: 2024-01-01\n").parsed?.value).toEqual({ a: [{ x: 1 }], b: "5", c: "2024-01-01" });
  });

  it("an unknown tag (!Ref, !env, !!foo) is BRN002 at the tag: yaml would read the value as if it had no tag", () => {
    const at = (text: string) => parseYaml("x.yaml", text).diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column} ${d.message}`);
    const plain = "brain files are plain data, and the value would be read as if it had no tag";
    expect(at("a: !Ref Checks\n")).toEqual([`BRN002 1:4 YAML error: unknown tag !Ref: ${plain}`]);
    expect(at("a:\n  key: !env API_KEY\n")).toEqual([`BRN002 2:8 YAML error: unknown tag !env: ${plain}`]);
    expect(at("a: [1, !!foo x]\n")).toEqual([`BRN002 1:8 YAML error: unknown tag !!foo: ${plain}`]);
    expect(parseYaml("x.yaml", "a: ! x\nb: !!str 1\n").parsed?.value).toEqual({ a: "x", b: "1" });
  });

  it("a lone UTF-16 surrogate from a \\u escape is BRN002 (no UTF-8 output can hold it); a pair is a character", () => {
    expect(parseYaml("x.yaml", 'name: "\\ud800"\n').diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^YAML error: a string holds half of a UTF-16 surrogate pair/)]);
    expect(parseYaml("x.yaml", '{ "\\udc00": 1 }\n').diagnostics.map((d) => d.code)).toEqual(["BRN002"]);
    const pair = parseYaml("x.yaml", 'name: "ok \\ud83d\\ude00"\n');
    expect(pair.diagnostics).toEqual([]);
    expect(pair.parsed!.value).toEqual({ name: "ok \u{1f600}" });
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

  it("a value nested thousands of levels deep is BRN002 that says so, not a stack overflow", () => {
    const { diagnostics } = parseYaml("x.yaml", `a: ${"[".repeat(20000)}${"]".repeat(20000)}\n`);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["BRN002", "YAML syntax error: the value is nested too deeply"]]);
  });
});
