import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { generatedBy, notesSection } from "../../src/emit/readme.js";
import { singleEnvRef } from "../../src/emit/env-refs.js";
import type { Brain } from "../../src/link/model.js";
import { WEBHOOK_HEADER } from "./nodes.js";
import type { N8nOptions } from "./options.js";
import { webhookChannels } from "./workflow.js";

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
 * The "Calling the webhooks" section: each webhook trigger's URL and agent, a curl call with the header
 * targets.n8n.webhookAuth asks for, and what happens without it; none without webhook channels.
 */
function webhookSection(brain: Brain, options: N8nOptions): string[] {
  const webhooks = webhookChannels(brain);
  if (!webhooks.length) return [];
  const auth = options.webhookAuth;
  const header = typeof auth === "object" ? (auth.header ?? WEBHOOK_HEADER) : undefined;
  const variable = typeof auth === "object" ? singleEnvRef(auth.token)?.env : undefined;
  const token = variable ? `$${variable}` : "<token>";
  const example = `curl -X POST "http://localhost:5678/webhook/${webhooks[0].path}"${header ? ` -H "${header}: ${token}"` : ""} -H 'content-type: application/json' -d '{"chatInput": "…", "sessionId": "…"}'`;
  const who = !auth
    ? "They take calls without authentication: anyone who can reach n8n runs the agents and spends their budgets (BRN514). Set `targets.n8n.webhookAuth` to a header token, or to `none` when a proxy in front of n8n authenticates the callers."
    : auth === "none"
      ? "They take calls without authentication (`targets.n8n.webhookAuth: none`): keep them behind a proxy that authenticates the callers."
      : `n8n answers only calls that send the \`${header}\` header with the token${variable ? ` in \`${variable}\`` : ""} (credential \`${brain.name} webhook\`): 403 without it, 500 while ${variable ? "the variable is unset" : "the credential has no token"}.`;
  return [
    "## Calling the webhooks",
    "",
    "Each answers a POST with the agent's reply. The agent's message is the JSON body's `chatInput` (else the whole body), its conversation the body's `sessionId`.",
    "",
    "| URL path | agent |",
    "| --- | --- |",
    ...webhooks.map(({ agent, path }) => `| \`/webhook/${path}\` | ${agent.id} |`),
    "",
    who,
    "",
    "```sh",
    example,
    "```",
    "",
  ];
}

/**
 * A shell command that prints, one per line, the ids of the published workflows in `n8n-workflows.json` (what
 * `n8n export:workflow --all --output=n8n-workflows.json` writes: an array of workflows, n8n 2.41) whose
 * `meta.brainc.brain` is `brain` and whose id is not one of `ids`: the workflows an earlier build of the brain
 * imported that this one no longer has. Runs with the Node.js n8n runs on.
 */
export function retiredWorkflowsCommand(brain: string, ids: readonly string[]): string {
  const script = `const keep = new Set(process.argv.slice(1)); for (const w of require("./n8n-workflows.json")) if (w.meta?.brainc?.brain === ${JSON.stringify(brain)} && w.active && !keep.has(w.id)) console.log(w.id)`;
  return `node -e '${script}' ${ids.join(" ")}`;
}

/**
 * The "When a run fails" section: the error workflow, and where it sends failures (targets.n8n.errorAlertUrl)
 * or that it sends them nowhere.
 */
function failureSection(options: N8nOptions): string[] {
  const url = options.errorAlertUrl;
  const variable = url !== undefined ? singleEnvRef(url)?.env : undefined;
  return [
    "## When a run fails",
    "",
    "Every agent workflow names `error-handler.json` as its error workflow: n8n runs it (once it is published) for each failed run of a published workflow or of `n8n execute`. " +
      (url === undefined
        ? 'It alerts no one: failed runs show only in n8n\'s executions list. To be told, set `targets.n8n.errorAlertUrl: "${env:N8N_ALERT_WEBHOOK_URL}"`: the error workflow then posts each failure to that incoming-webhook URL (Slack, Mattermost, Discord …).'
        : `It posts each failure to the URL in \`${variable}\` (\`targets.n8n.errorAlertUrl\`) as \`{"text": "<workflow> failed in <node>: <error>\\n<execution URL>"}\`: the body of Slack and Mattermost incoming webhooks (a Discord webhook takes it at its URL followed by \`/slack\`). While the variable is unset, the alert itself fails (in the executions list).`),
    "",
  ];
}

/**
 * README.md of the output: how to import it into n8n 2.41 (environment, credentials, workflows, publishing;
 * the steps docs/targets/n8n.md gives, which scripts/conformance-n8n.mjs runs against n8n 2.41.1) and what
 * the workflows do not run of the brain (`reported`: the diagnostics the target reported while building
 * this output, but BRN514; see {@link notesSection}), and how to call the agents' webhooks. `workflows`
 * come error workflow first; `contents` are the texts of every file of the output.
 */
export function buildReadme(brain: Brain, options: N8nOptions, workflows: readonly WorkflowFile[], contents: readonly string[], reported: readonly Diagnostic[]): string {
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
    "4. Publish them: imported workflows are inactive, and n8n cannot call an error workflow that is not published. A running n8n takes up a publication (and step 5's unpublication) within seconds, although the command says to restart it.",
    "",
    "   ```sh",
    `   for id in ${workflows.map((w) => w.id).join(" ")}; do n8n publish:workflow --id="$id"; done`,
    "   ```",
    "",
    `5. Unpublish what this build no longer has: n8n keeps every workflow it imported, so the workflow of a renamed or removed agent goes on running its schedules and webhooks. This finds the published workflows of \`${brain.name}\` (by \`meta.brainc.brain\`) that are not listed above and unpublishes them; delete them in n8n's editor afterwards (tag \`${brain.name}\`).`,
    "",
    "   ```sh",
    "   n8n export:workflow --all --output=n8n-workflows.json",
    `   for id in $(${retiredWorkflowsCommand(brain.name, workflows.map((w) => w.id))}); do n8n unpublish:workflow --id="$id"; done`,
    "   rm n8n-workflows.json",
    "   ```",
    "",
    ...webhookSection(brain, options),
    ...failureSection(options),
    // An open webhook (BRN514) is said in "Calling the webhooks".
    ...notesSection("What the workflows do not run", "n8n", reported.filter((d) => d.code !== "BRN514"), "Nothing: every part of the brain that these agents use has an n8n counterpart."),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
