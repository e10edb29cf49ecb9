import { countBySeverity, type Diagnostic } from "./diagnostic.js";
import { CODES } from "./codes.js";

/** The output formats of `--format`. */
export const FORMATS = ["text", "json", "github", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  /** Turns a brain-relative path into the path to print (relative to the working directory). */
  displayPath: (file: string) => string;
  /** Source text of a brain-relative file, for code frames; undefined when unknown. */
  source?: (file: string) => string | undefined;
  /** Code frames and ANSI colour (text format, when stdout is a terminal). */
  pretty?: boolean;
  /** brainc's version, for SARIF. */
  version?: string;
}

const ansi = { red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", grey: "\x1b[90m", bold: "\x1b[1m", reset: "\x1b[0m" };

/** Formats diagnostics (already sorted) as one string ending in a newline, or "" when there are none (text). */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: Format, options: FormatOptions): string {
  switch (format) {
    case "text":
      return formatText(diagnostics, options);
    case "json":
      return JSON.stringify(diagnostics.map((d) => (d.file ? { ...d, file: options.displayPath(d.file) } : d)), null, 2) + "\n";
    case "github":
      return diagnostics.map((d) => formatGithub(d, options)).join("");
    case "sarif":
      return JSON.stringify(toSarif(diagnostics, options), null, 2) + "\n";
  }
}

function location(d: Diagnostic, options: FormatOptions): string {
  if (!d.file) return "brainc";
  const path = options.displayPath(d.file);
  return d.range ? `${path}:${d.range.start.line}:${d.range.start.column}` : path;
}

/** tsc-like: `path:line:col - error BRN123: message`, a hint line, and with `pretty` a code frame and colour. */
function formatText(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const paint = (colour: keyof typeof ansi, s: string) => (options.pretty ? ansi[colour] + s + ansi.reset : s);
  const severityColour = { error: "red", warning: "yellow", info: "cyan" } as const;
  let out = "";
  for (const d of diagnostics) {
    out += `${paint("cyan", location(d, options))} - ${paint(severityColour[d.severity], d.severity)} ${paint("grey", d.code + ":")} ${d.message}\n`;
    if (d.hint) out += `  ${paint("grey", "hint:")} ${d.hint}\n`;
    if (options.pretty && d.file && d.range) out += codeFrame(options.source?.(d.file), d, paint);
  }
  return out;
}

/** "1 error", "2 errors": a count and an English word with its regular plural. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Summary line after text output: "Found 2 errors and 1 warning." */
export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const c = countBySeverity(diagnostics);
  const parts: string[] = [];
  if (c.error) parts.push(plural(c.error, "error"));
  if (c.warning) parts.push(plural(c.warning, "warning"));
  if (c.info) parts.push(`${c.info} info`);
  return parts.length ? `Found ${parts.join(", ")}.` : "No problems found.";
}

function codeFrame(
  text: string | undefined,
  d: Diagnostic,
  paint: (colour: keyof typeof ansi, s: string) => string,
): string {
  if (text === undefined || !d.range) return "";
  const lines = text.split(/\r?\n/);
  const { start, end } = d.range;
  const line = lines[start.line - 1];
  if (line === undefined) return "";
  const gutter = String(start.line);
  const width = end.line === start.line ? Math.max(1, end.column - start.column) : Math.max(1, line.length - start.column + 1);
  const marker = " ".repeat(start.column - 1) + "~".repeat(width);
  return `\n  ${paint("grey", gutter)} ${line}\n  ${" ".repeat(gutter.length)} ${paint(d.severity === "error" ? "red" : "yellow", marker)}\n\n`;
}

/** GitHub Actions workflow command: `::error file=…,line=…,col=…,title=BRN101::message`. */
function formatGithub(d: Diagnostic, options: FormatOptions): string {
  const command = d.severity === "info" ? "notice" : d.severity;
  const props: string[] = [];
  if (d.file) props.push(`file=${escapeProperty(options.displayPath(d.file))}`);
  if (d.range) {
    props.push(`line=${d.range.start.line}`, `col=${d.range.start.column}`);
    props.push(`endLine=${d.range.end.line}`, `endColumn=${d.range.end.column}`);
  }
  props.push(`title=${escapeProperty(`${d.code} ${CODES[d.code as keyof typeof CODES]?.name ?? ""}`.trim())}`);
  const message = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${command} ${props.join(",")}::${escapeData(message)}\n`;
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for code scanning. */
function toSarif(diagnostics: readonly Diagnostic[], options: FormatOptions): object {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort();
  const level = { error: "error", warning: "warning", info: "note" } as const;
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "brainc",
            version: options.version ?? "0.0.0",
            informationUri: "https://www.npmjs.com/package/brainc",
            rules: ruleIds.map((id) => {
              const info = CODES[id as keyof typeof CODES];
              return { id, name: info?.name ?? id, shortDescription: { text: info?.summary ?? id }, help: { text: info?.fix ?? "" } };
            }),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          level: level[d.severity],
          message: { text: d.hint ? `${d.message} (hint: ${d.hint})` : d.message },
          locations: d.file
            ? [
                {
                  physicalLocation: {
                    // A URI reference (RFC 3986, as SARIF 2.1.0 §3.10 asks): spaces and the like percent-encoded.
                    artifactLocation: { uri: options.displayPath(d.file).split("/").map(encodeURIComponent).join("/") },
                    ...(d.range && {
                      region: {
                        startLine: d.range.start.line,
                        startColumn: d.range.start.column,
                        endLine: d.range.end.line,
                        endColumn: d.range.end.column,
                      },
                    }),
                  },
                },
              ]
            : [],
        })),
      },
    ],
  };
}
