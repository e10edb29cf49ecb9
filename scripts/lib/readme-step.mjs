// The commands of one numbered deploy step of a generated output README.md (targets/*/readme.ts), as the
// conformance scripts run them: the step's ```sh block, without the list item's indentation.

/**
 * The shell commands of the first step (`<n>. <text>`) whose first line matches `line`, or undefined when the
 * README has no such step with a ```sh block right under it.
 * @param {string} readme the README's text
 * @param {RegExp} line matches within the step's first line (no flags)
 * @returns {string | undefined}
 */
export function readmeStep(readme, line) {
  const block = new RegExp(String.raw`^\d+\. [^\n]*${line.source}[^\n]*\n\n {3}` + "```sh\\n([\\s\\S]*?)\\n {3}```$", "m").exec(readme);
  return block?.[1].replace(/^ {3}/gm, "");
}
