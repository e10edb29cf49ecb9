/**
 * Diagnostics as data (src/diagnostics/): sorting and de-duplication, and the formatters text
 * (tsc-like, code frame and colour on a terminal), json, github (Actions workflow commands, escaped as
 * @actions/core escapes them) and sarif (2.1.0).
 */
import { describe, expect, it } from "vitest";
import { CODES } from "../src/diagnostics/codes.js";
import { sortDiagnostics, type Diagnostic } from "../src/diagnostics/diagnostic.js";
import { formatDiagnostics, summaryLine } from "../src/diagnostics/format.js";
import { run } from "../src/cli/main.js";
import { overlayDiagnostics } from "../src/compile.js";
import { invalidCase } from "./corpus.js";
import { repoRoot } from "./helpers.js";

const at = (line: number, column: number, endColumn = column + 1) => ({ start: { line, column }, end: { line, column: endColumn } });
const unknownTool: Diagnostic = { code: "BRN204", severity: "error", message: 'unknown tool "serch"', file: "agents/watcher.yaml", range: at(6, 21, 26), hint: 'did you mean "search"?' };
const unused: Diagnostic = { code: "BRN218", severity: "warning", message: 'tool "x" is used by no agent', file: "tools/x.yaml", range: at(1, 1) };
const limit: Diagnostic = { code: "BRN509", severity: "info", message: "openclaw cannot express budgets" };
const options = { displayPath: (f: string) => `brain/${f}` };

describe("overlayDiagnostics", () => {
  it("drops what the base brain reported already (same place and code; without a range, same message) and names the overlay on the rest", () => {
    const prodOnly: Diagnostic = { ...limit, message: "openclaw cannot express the shared memory of prod", file: "agents/a.yaml" };
    const base: Diagnostic[] = [unknownTool, { ...limit, file: "agents/a.yaml" }];
    const found = overlayDiagnostics("prod", [unknownTool, { ...limit, file: "agents/a.yaml" }, prodOnly], base);
    expect(found.map((d) => d.message)).toEqual(['openclaw cannot express the shared memory of prod (with overlay "prod")']);
    // With a range, the place and code make it the same diagnostic (an overlay may change the numbers in it).
    expect(overlayDiagnostics("prod", [{ ...unknownTool, message: 'unknown tool "serch" (2)' }], base)).toEqual([]);
    expect(overlayDiagnostics("default", [unknownTool], [unknownTool])).toEqual([unknownTool]);
  });
});

describe("sortDiagnostics", () => {
  it("orders by file, line, column, code, severity, message; file-less first", () => {
    const a: Diagnostic = { code: "BRN101", severity: "error", message: "a", file: "b.yaml", range: at(2, 1) };
    const b: Diagnostic = { code: "BRN101", severity: "error", message: "b", file: "b.yaml", range: at(1, 5) };
    const c: Diagnostic = { code: "BRN100", severity: "error", message: "c", file: "b.yaml", range: at(1, 5) };
    const d: Diagnostic = { code: "BRN001", severity: "error", message: "d", file: "a.yaml" };
    const e: Diagnostic = { code: "BRN900", severity: "error", message: "e" };
    expect(sortDiagnostics([a, b, c, d, e])).toEqual([e, d, c, b, a]);
  });

  it("drops exact duplicates only", () => {
    const twin = { ...unknownTool };
    const other = { ...unknownTool, message: 'unknown tool "serch" (in env prod)' };
    expect(sortDiagnostics([unknownTool, twin, other])).toEqual([unknownTool, other]);
  });
});

describe("text", () => {
  it("is tsc-like: path:line:col - severity CODE: message, then the hint", () => {
    expect(formatDiagnostics([unknownTool, unused, limit], "text", options)).toBe(
      'brain/agents/watcher.yaml:6:21 - error BRN204: unknown tool "serch"\n  hint: did you mean "search"?\n' +
        'brain/tools/x.yaml:1:1 - warning BRN218: tool "x" is used by no agent\n' +
        "brainc - info BRN509: openclaw cannot express budgets\n",
    );
  });

  it("prints '' for no diagnostics, and a file-level diagnostic without line:col", () => {
    expect(formatDiagnostics([], "text", options)).toBe("");
    expect(formatDiagnostics([{ code: "BRN001", severity: "error", message: "m", file: "agent/x.yaml" }], "text", options)).toBe("brain/agent/x.yaml - error BRN001: m\n");
  });

  it("on a terminal: colour and a code frame under the offending span", () => {
    const source = (f: string) => (f === "agents/watcher.yaml" ? "name: W\nprompt: w\nx: 1\ny: 2\nz: 3\ntools: [http-check, serch]\n" : undefined);
    const out = formatDiagnostics([unknownTool], "text", { ...options, source, pretty: true });
    expect(out).toContain("\x1b[31merror\x1b[0m");
    const plain = out.replace(/\x1b\[\d+m/g, "");
    // "  6 " is the gutter; column 21 is 20 characters into the line.
    expect(plain).toContain("\n  6 tools: [http-check, serch]\n" + " ".repeat(4 + 20) + "~~~~~\n");
  });

  it("the CLI colours only when stdout is a terminal", async () => {
    const capture = async (isTTY: boolean) => {
      let stdout = "";
      await run(["validate", "--brain", invalidCase("BRN204-unknown-tool")], { stdout: (s) => void (stdout += s), stderr: () => {}, cwd: repoRoot, isTTY });
      return stdout;
    };
    expect(await capture(false)).not.toContain("\x1b[");
    const tty = await capture(true);
    expect(tty).toContain("\x1b[");
    expect(tty.replace(/\x1b\[\d+m/g, "")).toContain("  6 tools: [http-check, serch]\n");
  });

  it("summary lines", () => {
    expect(summaryLine([])).toBe("No problems found.");
    expect(summaryLine([unknownTool, unknownTool, unused, limit])).toBe("Found 2 errors, 1 warning, 1 info.");
  });
});

describe("json", () => {
  it("is the diagnostics themselves, with display paths", () => {
    expect(JSON.parse(formatDiagnostics([unknownTool, limit], "json", options))).toEqual([{ ...unknownTool, file: "brain/agents/watcher.yaml" }, limit]);
    expect(formatDiagnostics([], "json", options)).toBe("[]\n");
  });
});

describe("github", () => {
  it("writes one workflow command per diagnostic (notice for info)", () => {
    expect(formatDiagnostics([unknownTool, unused, limit], "github", options).split("\n")).toEqual([
      '::error file=brain/agents/watcher.yaml,line=6,col=21,endLine=6,endColumn=26,title=BRN204 unknown-tool::unknown tool "serch" (hint: did you mean "search"?)',
      "::warning file=brain/tools/x.yaml,line=1,col=1,endLine=1,endColumn=2,title=BRN218 unused::tool \"x\" is used by no agent",
      "::notice title=BRN509 target-limit::openclaw cannot express budgets",
      "",
    ]);
  });

  it("escapes data (% CR LF) and properties (also : and ,) as @actions/core does", () => {
    const nasty: Diagnostic = { code: "BRN002", severity: "error", message: "100% bad\r\nsecond line", file: "a,b:c%.yaml", range: at(1, 1) };
    expect(formatDiagnostics([nasty], "github", { displayPath: (f) => f })).toBe("::error file=a%2Cb%3Ac%25.yaml,line=1,col=1,endLine=1,endColumn=2,title=BRN002 yaml-syntax::100%25 bad%0D%0Asecond line\n");
  });
});

describe("sarif", () => {
  it("is a SARIF 2.1.0 log with one rule per code and one result per diagnostic", () => {
    const log = JSON.parse(formatDiagnostics([unknownTool, unused, limit], "sarif", { ...options, version: "1.2.3" }));
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0].tool;
    expect(driver).toMatchObject({ name: "brainc", version: "1.2.3" });
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(["BRN204", "BRN218", "BRN509"]);
    expect(driver.rules[0]).toEqual({ id: "BRN204", name: "unknown-tool", shortDescription: { text: CODES.BRN204.summary }, help: { text: CODES.BRN204.fix } });
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(["error", "warning", "note"]);
    expect(log.runs[0].results[0]).toEqual({
      ruleId: "BRN204",
      level: "error",
      message: { text: 'unknown tool "serch" (hint: did you mean "search"?)' },
      locations: [{ physicalLocation: { artifactLocation: { uri: "brain/agents/watcher.yaml" }, region: { startLine: 6, startColumn: 21, endLine: 6, endColumn: 26 } } }],
    });
    expect(log.runs[0].results[2].locations).toEqual([]);
  });

  it("artifact URIs are URI references: a space or a # in a file name is percent-encoded", () => {
    const odd = { ...unknownTool, file: "agents/my agent#1.yaml" };
    const log = JSON.parse(formatDiagnostics([odd], "sarif", { ...options, version: "1.2.3" }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("brain/agents/my%20agent%231.yaml");
  });
});

describe("the code table", () => {
  it("every code has a kebab-case name, a summary and a fix; names are unique", () => {
    const names = new Set<string>();
    for (const [code, info] of Object.entries(CODES)) {
      expect(code).toMatch(/^BRN\d{3}$/);
      expect(info.name, code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(info.summary.length, code).toBeGreaterThan(10);
      expect(info.fix.length, code).toBeGreaterThan(3);
      expect(names.has(info.name), `${code} ${info.name}`).toBe(false);
      names.add(info.name);
    }
  });
});
