import { CODES } from "./codes.js";

/**
 * docs/diagnostics.md, generated from {@link CODES} (`npm run gen:docs`; a test fails when the page
 * drifts from the table).
 */
export function diagnosticsMarkdown(): string {
  const sections: [string, string][] = [
    ["BRN0", "Loading files"],
    ["BRN1", "Schemas"],
    ["BRN2", "References and templates"],
    ["BRN3", "Secrets, budgets and other rules"],
    ["BRN4", "Overlays"],
    ["BRN5", "Build and targets"],
    ["BRN6", "OpenClaw target"],
    ["BRN7", "n8n target"],
    ["BRN8", "LiteLLM target"],
    ["BRN9", "Internal"],
  ];
  const lines = [
    "# Diagnostics",
    "",
    "<!-- Generated from src/diagnostics/codes.ts by `npm run gen:docs`. Do not edit. -->",
    "",
    "Every diagnostic brainc prints has a stable code, a severity, and, when it concerns a file, the file and",
    "a 1-based line:column range. Errors make `brainc validate` and `brainc build` exit 1; warnings do too",
    "with `--strict`; `info` never does. Exit code 2 means a usage error (BRN901) or a bug in brainc (BRN900), except under `brainc diff --detailed-exitcode`, where 2 means changes and every error exits 1.",
    "",
    "Formats: `--format text` (default; tsc-like `path:line:col - error BRN101: message`, with a code frame",
    "and colour in a terminal), `json`, `github` (GitHub Actions annotations) and `sarif` (code scanning).",
    "",
  ];
  const codes = Object.entries(CODES).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [prefix, title] of sections) {
    const inSection = codes.filter(([code]) => code.startsWith(prefix));
    if (!inSection.length) continue;
    lines.push(`## ${title}`, "");
    for (const [code, info] of inSection) {
      lines.push(`### ${code} ${info.name} (${info.severity})`, "", info.summary, "", `**Fix:** ${info.fix}`, "");
    }
  }
  return lines.join("\n");
}
