import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * The section of a target's README.md that says what its output does not do of the brain: `title` as the
 * heading, then the messages of the info and warning diagnostics the target reported while building this
 * output (BRN509, BRN512: what `brainc build --verbose` lists), in the order reported, without the
 * `<target>: ` prefix some carry on the command line; `none` when there are none. Markdown lines.
 */
export function notesSection(title: string, target: string, diagnostics: readonly Diagnostic[], none: string): string[] {
  const prefix = `${target}: `;
  const notes = diagnostics.filter((d) => d.severity !== "error").map((d) => `- ${d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message}`);
  return [`## ${title}`, "", ...(notes.length ? ["brainc reported these when it built this output (`brainc build --verbose` lists them too):", "", ...notes] : [none])];
}
