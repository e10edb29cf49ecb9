import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { generatedBy, notesSection } from "../../src/emit/readme.js";
import type { Brain } from "../../src/link/model.js";

/** One workflow of the output: its file, n8n id and name. */
export interface WorkflowFile {
  path: string;
  id: string;
  name: string;
}

/** The variables that `={{ $env.NAME }}` expressions in `contents` read, sorted and unique. */
function envReads(contents: readonly string[]): string[] {
  return [...new Set(contents.flatMap((text) => [...text.matchAll(/\$env\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1])))].sort();
}

/**
 * README.md of the output: how to import it into n8n 2.41 (environment, credentials, workflows, publishing;
 * the steps docs/targets/n8n.md gives, which scripts/conformance-n8n.mjs runs against n8n 2.41.1) and what
 * the workflows do not run of the brain (`reported`: the diagnostics the target reported while building
 * this output; see {@link notesSection}). `workflows` come error workflow first; `contents` are the texts
 * of every file of the output.
 */
export function buildReadme(brain: Brain, workflows: readonly WorkflowFile[], contents: readonly string[], reported: readonly Diagnostic[]): string {
  const env = envReads(contents);
  const lines = [
    `# ${brain.name} for n8n 2.41`,
    "",
    generatedBy(brain, "n8n"),
    "",
    "| file | workflow | n8n id |",
    "| --- | --- | --- |",
    ...workflows.map((w) => `| \`${w.path}\` | ${w.name} | \`${w.id}\` |`),
    "| `credentials.json` | every credential the workflows reference: names and types, no secrets | |",
    "",
    "## Deploy",
    "",
    env.length
      ? `1. Set the environment variables the credentials and workflows read, in n8n's environment: ${env.map((n) => `\`${n}\``).join(", ")}. n8n 2.x resolves \`$env\` expressions only when it runs with \`N8N_BLOCK_ENV_ACCESS_IN_NODE=false\`; without that, write the values in where they are read instead: into the credentials (in credentials.json before importing, or in n8n's credential editor) and the nodes.`
      : "1. The credentials and workflows read no environment variables: fill in the credentials' values in credentials.json before importing, or in n8n's credential editor.",
    "",
    "2. Import the credentials (once per instance; n8n binds the workflows' references to them by name and type):",
    "",
    "   ```sh",
    "   n8n import:credentials --input=credentials.json",
    "   ```",
    "",
    "3. Import the workflows, the error workflow first, one file per call (re-importing updates them in place: same ids):",
    "",
    "   ```sh",
    `   for f in ${workflows.map((w) => w.path).join(" ")}; do n8n import:workflow --input="$f"; done`,
    "   ```",
    "",
    "4. Publish them: imported workflows are inactive, and n8n cannot call an error workflow that is not published.",
    "",
    "   ```sh",
    `   for id in ${workflows.map((w) => w.id).join(" ")}; do n8n publish:workflow --id="$id"; done`,
    "   ```",
    "",
    ...notesSection("What the workflows do not run", "n8n", reported, "Nothing: every part of the brain that these agents use has an n8n counterpart."),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
