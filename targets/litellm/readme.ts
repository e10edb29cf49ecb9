import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { generatedBy, notesSection } from "../../src/emit/readme.js";
import type { Brain } from "../../src/link/model.js";
import type { EnvVar } from "./env.js";

/**
 * README.md of the output: how to run the proxy with it and apply budgets.json (the steps of
 * docs/targets/litellm.md, with this brain's variables), the job correlation contract clients follow, and
 * what the proxy does not enforce of the brain (`reported`: the diagnostics of building the output; see
 * {@link notesSection}).
 */
export function buildReadme(brain: Brain, env: readonly EnvVar[], reported: readonly Diagnostic[]): string {
  const lines = [
    `# ${brain.name} for a LiteLLM proxy`,
    "",
    generatedBy(brain, "litellm"),
    "",
    "| file | what |",
    "| --- | --- |",
    "| `config.yaml` | the proxy config: a model group per tier and per task class with models of its own, an alias per task class, fallbacks, retries, the global budget |",
    "| `budgets.json` | agent and task budgets, which live in the proxy's database: admin API requests, in order |",
    "| `.env.example` | every variable config.yaml reads |",
    "",
    "## Deploy",
    "",
    `1. Set the variables of \`.env.example\` in the proxy's environment${env.length ? `: ${env.map((v) => `\`${v.name}\``).join(", ")}` : ""}. LiteLLM turns an unset variable into None without an error.`,
    "",
    "2. Start the proxy (`pip install 'litellm[proxy]'`, or LiteLLM's Docker image with this folder mounted):",
    "",
    "   ```sh",
    "   litellm --config config.yaml --port 4000",
    "   ```",
    "",
    "3. Apply `budgets.json` through the admin API: POST each request's body to the proxy at its `path`, in order, with `Authorization: Bearer $LITELLM_MASTER_KEY`; when the object exists already, POST it to `updatePath`. `/key/generate` makes a new key each time: run it once per agent and give the key to that agent's runtime (its gateway API key), so that the proxy charges the agent's team.",
    "",
    "4. Point the brain's runtimes at the proxy: clients call a task class (an alias) or a model group, and send `litellm_session_id` = the job id and `metadata.tags` `job:<id>`, `task:<class>`, `agent:<id>` (the task tag is what task budgets count).",
    "",
    ...notesSection("What the proxy does not enforce", "litellm", reported, "Nothing: the proxy enforces the brain's routing, fallbacks and budgets as written."),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
