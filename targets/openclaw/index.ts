import { diagnostic } from "../../src/diagnostics/codes.js";
import { type EmitContext, type OutputFile, type Target, builtinOptionsSchema } from "../../src/emit/target.js";
import type { Brain } from "../../src/link/model.js";
import { checkOutput } from "./check.js";
import { buildExecApprovals } from "./approvals.js";
import { buildConfig } from "./config.js";
import { buildCron } from "./cron.js";
import { envDifferences, OPENCLAW_CHANNELS, plan, type OpenClawOptions, type Plan } from "./plan.js";
import { buildReadme } from "./readme.js";
import { workspaceFiles } from "./workspace.js";


/**
 * The BRN509 infos of a build: what OpenClaw cannot express, what brainc did instead, and which target
 * enforces it. One per agent and concern, plus the brain-wide ones.
 */
function reportLimits(p: Plan, context: EmitContext): void {
  const { brain } = p;
  for (const a of p.agents) {
    const file = a.agent.source;
    const agentsMd = `workspaces/${a.agent.id}/AGENTS.md`;
    if (a.limits.supervisor.length) context.report(diagnostic("BRN509", `agent "${a.agent.id}": OpenClaw cannot enforce ${a.limits.supervisor.join(", ")}; brainc wrote them into ${agentsMd} as instructions; enforce them with the supervisor target`, { file }));
    if (a.limits.budgets.length) context.report(diagnostic("BRN509", `agent "${a.agent.id}": OpenClaw has no budgets (${a.limits.budgets.join(", ")}); brainc wrote them into ${agentsMd} as instructions; enforce them with the supervisor target (${brain.gateway ? "the litellm gateway enforces only the global budget here: OpenClaw's requests carry one key and no task tags" : "or, for the global budget, route the agents through a litellm gateway: brain.yaml gateway"})`, { file }));
    for (const note of a.notes) context.report(diagnostic("BRN509", `agent "${a.agent.id}": ${note}`, { file }));
    for (const c of a.agent.channels.filter((c) => !OPENCLAW_CHANNELS.has(c.channel))) context.report(diagnostic("BRN509", `agent "${a.agent.id}": channel "${c.channel}" is not an OpenClaw channel, so it has no binding; serve it with the n8n target`, { file }));
  }
  if (!brain.gateway) context.report(diagnostic("BRN509", `OpenClaw fails over to the next model on its own error classes, without retries or backoff; the brain's fallback rules (on, retriesPerModel, backoff) are not expressed; enforce them with the litellm target (brain.yaml gateway)`, { file: "routing.yaml" }));
  for (const name of [...p.env.unsupported].sort()) context.report(diagnostic("BRN509", `OpenClaw substitutes only upper-case variables; \${${name}} stays literal in openclaw.json; rename the variable`, { file: "brain.yaml", severity: "warning" }));
}

/**
 * The BRN512 warnings of a build: where OpenClaw 2026.9.6 would run the brain differently from what it
 * says and nothing in the output makes up for it. Each points at the brain file to change.
 */
function reportDifferences(p: Plan, context: EmitContext): void {
  const report = (text: string, file: string) => {
    const cut = text.lastIndexOf("; ");
    context.report(cut < 0 ? diagnostic("BRN512", text, { file }) : diagnostic("BRN512", text.slice(0, cut), { file, hint: text.slice(cut + 2) }));
  };
  for (const a of p.agents) for (const d of a.differences) report(`agent "${a.agent.id}": ${d}`, a.agent.source);
  for (const d of envDifferences(p)) report(d.message, d.file);
}

/**
 * The OpenClaw target (OpenClaw 2026.9, validated against openclaw@2026.9.6): `openclaw.json`, one
 * workspace per agent under `workspaces/<id>/` (AGENTS.md, SOUL.md, IDENTITY.md, skills), `cron.json`
 * (declarations for `openclaw cron add`), `exec-approvals.json` (the agents' exec allowlists, for
 * `openclaw approvals set`) and a README on deploying them.
 */
const openclaw: Target<OpenClawOptions> = {
  name: "openclaw",
  optionsSchema: builtinOptionsSchema("openclaw"),
  emit(brain: Brain, options: OpenClawOptions, context: EmitContext): OutputFile[] {
    const p = plan(brain, options);
    const workspaces = p.agents.map((a) => workspaceFiles(brain, a));
    const sizes = Object.fromEntries(
      p.agents.map((a, i) => {
        const lengths = workspaces[i].filter((f) => !f.path.includes("/skills/")).map((f) => f.contents.length);
        return [a.agent.id, { largest: Math.max(...lengths), total: lengths.reduce((x, y) => x + y, 0) }];
      }),
    );
    const cron = buildCron(p);
    const approvals = buildExecApprovals(p);
    const files: OutputFile[] = [
      { path: "openclaw.json", contents: buildConfig(p, sizes) },
      { path: "cron.json", contents: cron.json },
      ...(approvals ? [{ path: "exec-approvals.json", contents: approvals }] : []),
      ...workspaces.flat(),
      { path: "README.md", contents: buildReadme(p, cron.jobs) },
    ];
    reportLimits(p, context);
    reportDifferences(p, context);
    return files;
  },
  check: (files) => checkOutput(files),
};

export default openclaw;
