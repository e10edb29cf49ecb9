/**
 * Diagnostics are data: every stage returns them, the CLI prints them with a formatter.
 * Shape follows buf's FileAnnotation and ESLint's message (see shared/design/architecture.md).
 */

/** A 1-based position in a source file. */
export interface Position {
  line: number;
  column: number;
}

/** A 1-based, end-inclusive-of-start range in a source file. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = "error" | "warning" | "info";

/** One finding about a brain, an output, or brainc itself. */
export interface Diagnostic {
  /** Stable code such as "BRN104"; every code is documented in docs/diagnostics.md. */
  code: string;
  severity: Severity;
  /** One sentence that names the thing: `unknown tool "slak-alert"`. */
  message: string;
  /** Path relative to the brain root, with "/" separators. */
  file?: string;
  range?: Range;
  /** A suggestion: `did you mean "slack-alert"?` */
  hint?: string;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Total order used everywhere diagnostics are shown: file, line, column, code, severity, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareOptional(a.file, b.file) ||
    (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) ||
    (a.range?.start.column ?? 0) - (b.range?.start.column ?? 0) ||
    compareOptional(a.code, b.code) ||
    severityRank[a.severity] - severityRank[b.severity] ||
    compareOptional(a.message, b.message)
  );
}

/** Sorts (see {@link compareDiagnostics}) and drops exact duplicates of (file, line, column, code, message). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  return sorted.filter((d, i) => i === 0 || compareDiagnostics(d, sorted[i - 1]) !== 0);
}

/** Whether any diagnostic is an error (what makes a command exit 1). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Whether diagnostics fail a command: any error, or with `strict` any warning. */
export function fails(diagnostics: readonly Diagnostic[], strict?: boolean): boolean {
  return diagnostics.some((d) => d.severity === "error" || (strict === true && d.severity === "warning"));
}

/** Counts per severity, for summary lines. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
