import { diagnostic } from "../../src/diagnostics/codes.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { canonicalJson } from "../../src/emit/canonical.js";
import { type EmitContext, type Target, builtinOptionsSchema } from "../../src/emit/target.js";
import { checkWorkflows } from "./check.js";
import { CredentialSet } from "./credentials.js";
import type { N8nOptions } from "./options.js";
import { buildReadme } from "./readme.js";
import { agentWorkflow, duplicateWebhooks, errorHandlerWorkflow, unauthenticatedWebhooks } from "./workflow.js";

/** Agent ids whose workflow file would be one of the target's own files. */
const RESERVED = new Set(["credentials", "error-handler"]);

/**
 * The n8n target (n8n 2.41): one importable AI Agent workflow per agent (`<agent id>.json`), the error
 * workflow every agent workflow names (`error-handler.json`), `credentials.json`, a template of every
 * credential the workflows reference (names and types, no secrets), importable with
 * `n8n import:credentials`, and `README.md` (how to deploy them, what they do not run). check()
 * validates the workflows against n8n's own node descriptions.
 */

const n8n: Target<Partial<N8nOptions>> = {
  name: "n8n",
  optionsSchema: builtinOptionsSchema("n8n"),
  emit(brain, rawOptions, outer) {
    // What the workflows do not run, as reported below, is also written into the README.
    const reported: Diagnostic[] = [];
    const context: EmitContext = {
      previous: (path, key) => outer.previous(path, key),
      report(d) {
        reported.push(d);
        outer.report(d);
      },
    };
    const options: N8nOptions = { ...rawOptions, memory: rawOptions.memory ?? "buffer" };
    if (options.memory !== "buffer" && !options.memoryCredential) {
      context.report(diagnostic("BRN503", `targets.n8n.memoryCredential is required when targets.n8n.memory is ${options.memory}: name the n8n ${options.memory === "postgres" ? "Postgres" : "Redis"} credential`, { file: "brain.yaml" }));
      return [];
    }
    if (options.llmCredential !== undefined && !brain.gateway) {
      context.report(diagnostic("BRN509", `n8n: targets.n8n.llmCredential ${JSON.stringify(options.llmCredential)} names the credential of the brain's gateway, but the brain has none (brain.yaml gateway), so the chat models call their providers directly with providerCredentials; set a gateway to route them (and enforce budgets) through LiteLLM`, { file: "brain.yaml" }));
    }
    const taken = Object.keys(brain.agents).filter((id) => RESERVED.has(id));
    for (const id of taken) {
      context.report(diagnostic("BRN513", `n8n: agent "${id}" would be written to ${id}.json, which is the n8n target's own ${id === "credentials" ? "credentials template" : "error workflow"}`, { file: brain.agents[id].source, hint: "rename the agent (its file and every reference to it)" }));
    }
    if (taken.length) return [];
    const credentials = new CredentialSet();
    const errorHandler = errorHandlerWorkflow(brain, options);
    const files = Object.values(brain.agents).map((agent) => ({
      path: `${agent.id}.json`,
      contents: canonicalJson(agentWorkflow(brain, agent, options, credentials, errorHandler.id, context)),
    }));
    for (const [type, name] of credentials.conflicts) {
      context.report(diagnostic("BRN511", `n8n: two credentials of type ${type} are both named "${name}" with different settings (targets.n8n providerCredentials or memoryCredential); n8n would use the first for both`, { file: "brain.yaml", hint: "give each provider its own credential name" }));
    }
    [...duplicateWebhooks(brain), ...unauthenticatedWebhooks(brain, options)].forEach((d) => context.report(d));
    const handler = { path: "error-handler.json", contents: canonicalJson(errorHandler) };
    const workflows = [handler, ...files].map((f) => {
      const { id, name } = JSON.parse(f.contents) as { id: string; name: string };
      return { path: f.path, id, name };
    });
    files.push(handler, { path: "credentials.json", contents: credentials.toJson() });
    files.push({ path: "README.md", contents: buildReadme(brain, options, workflows, files.map((f) => f.contents), reported) });
    return files;
  },
  check(files) {
    return checkWorkflows(files);
  },
};

export default n8n;
