import { envNames } from "../../src/emit/env-refs.js";
import { generatedBy } from "../../src/emit/readme.js";
import { channelBindings } from "./bindings.js";
import type { CronDeclaration } from "./cron.js";
import { routeModel } from "./models.js";
import { envDifferences, type Plan, type SkillWorkshopMode } from "./plan.js";
import { curlCommand } from "./skills.js";
import { toolRoute } from "./tools.js";

/** What each Skill Workshop mode means for the agents' skills (OpenClaw 2026.9). */
const SKILL_WORKSHOP: Record<SkillWorkshopMode, string> = {
  off: "the agents' skills are the brain's. OpenClaw keeps only its suggestion nudge: it applies no skill it learns from their sessions, and its weekly skill-review job of each agent stays disabled.",
  propose: "OpenClaw queues the skills it learns from the agents' sessions for you to accept; accepted ones live outside the brain.",
  auto: "OpenClaw applies the skills it learns from the agents' sessions, and a weekly skill-review job of each agent (an agent turn on its model) edits them; they live outside the brain.",
};

/**
 * A command that removes, through the running gateway, the cron jobs whose declaration key is the brain's
 * (`<brain>/…`, cron.ts) but not one of `cron.json`'s: what an earlier build declared that this one does not.
 * OpenClaw 2026.9: `openclaw cron list --all --json` prints `{ jobs: [{ id, declarationKey, … }] }`.
 */
export function staleCronJobsCommand(brain: string): string {
  return `node -e 'const { execFileSync } = require("child_process"); const keep = new Set(require("./cron.json").jobs.map((j) => j.declarationKey)); for (const j of JSON.parse(execFileSync("openclaw", ["cron", "list", "--all", "--json"], { encoding: "utf8", maxBuffer: 1e8 })).jobs) if (j.declarationKey?.startsWith(${JSON.stringify(`${brain}/`)}) && !keep.has(j.declarationKey)) execFileSync("openclaw", ["cron", "rm", j.id], { stdio: "inherit" })'`;
}

/**
 * README.md of the output: how to deploy it on OpenClaw 2026.9 (config, workspaces, env, exec allowlist,
 * cron declarations) and what OpenClaw does not enforce.
 */
export function buildReadme(plan: Plan, jobs: CronDeclaration[]): string {
  const { brain } = plan;
  const root = plan.workspaceRoot;
  const env = envNames({ gateway: brain.gateway, providers: brain.gateway ? undefined : brain.providers, mcp: brain.mcpServers, tools: plan.agents.flatMap((a) => a.agent.tools.map((t) => t.implementation)), root: brain.targetOptions.openclaw?.workspaceRoot });
  const allow = plan.agents.some((a) => a.tools.execAllowlist.length);
  const pinned = plan.agents.some((a) => a.tools.curlForSkillsOnly);
  const curlVariables = plan.agents.some((a) => a.agent.tools.some((t) => toolRoute(t).kind === "skill" && curlCommand(t).variables.length));
  const bindings = channelBindings(plan.agents);
  const differences = [...plan.agents.flatMap((a) => a.differences.map((d) => `- \`${a.agent.id}\`: ${d}.`)), ...envDifferences(plan).map((d) => `- ${d.message} (${d.file}).`)];
  const lines = [
    `# ${brain.name} for OpenClaw 2026.9`,
    "",
    generatedBy(brain, "openclaw"),
    "",
    "| file | what |",
    "| --- | --- |",
    "| `openclaw.json` | providers, models, agents, tool policies, MCP servers, channel bindings |",
    `| \`workspaces/<agent>/\` | AGENTS.md, SOUL.md, IDENTITY.md and skills of each agent; they belong in \`${root}/<agent>/\` |`,
    "| `cron.json` | one `openclaw cron add` declaration per schedule (cron jobs are runtime state, not config) |",
    ...(allow ? ["| `exec-approvals.json` | the agents' exec allowlists, for `openclaw approvals set` (exec approvals are runtime state, not config) |"] : []),
    "",
    "## Deploy",
    "",
    `1. Copy the workspaces to the workspace root (\`targets.openclaw.workspaceRoot\`):`,
    "",
    "   ```sh",
    `   mkdir -p ${root} && cp -R workspaces/. ${root}/`,
    "   ```",
    "",
    "2. Use the config: either point OpenClaw at it, or copy it into the state folder (back up your own first):",
    "",
    "   ```sh",
    "   export OPENCLAW_CONFIG_PATH=\"$PWD/openclaw.json\"   # or: cp openclaw.json ~/.openclaw/openclaw.json",
    "   openclaw config validate",
    "   ```",
    "",
    `   Its Skill Workshop setting (\`skills.workshop.autonomous.mode\`, from \`targets.openclaw.skillWorkshop\`) is \`${plan.skillWorkshop}\`: ${SKILL_WORKSHOP[plan.skillWorkshop]}`,
    "",
    ...(bindings.length
      ? [
          `   It binds the agents to channel accounts (\`bindings\`): ${bindings.map((b) => `${b.match.channel} \`${b.match.accountId ?? "default"}\` → \`${b.agentId}\``).join(", ")}. It does not set up the accounts themselves (bot tokens and the like): keep them in your own settings under \`channels\` and join them with \`$include\` (for example \`channels: { $include: "./channels.json" }\`); until then the agents get no messages from these channels.`,
          "",
        ]
      : []),
    `3. Set the environment variables it reads, in the gateway's environment or \`~/.openclaw/.env\`: ${env.length ? env.map((n) => `\`${n}\``).join(", ") : "none"}.${curlVariables ? " The skills' curl commands read their variables themselves (`--variable`, so no secret is in a command line): they need curl 8.3 or newer on the gateway host, first on the PATH that exec sees (OpenClaw puts the login shell's PATH in front of the gateway's): install it where the login shell finds it first, or name its folder in `tools.exec.pathPrepend`." : ""}`,
    ...(allow
      ? [
          "",
          `4. Allow the commands that exec may run (exec approvals are runtime state, not config): \`exec-approvals.json\` holds each agent's exec allowlist${pinned ? "; curl is allowed only with the exact arguments of the agent's HTTP skills (each entry's `argPattern`)" : ""}.`,
          "",
          "   ```sh",
          "   openclaw approvals set --file exec-approvals.json",
          "   ```",
          "",
          `   This replaces the host's whole exec approvals document (use \`--gateway\` or \`--node <id>\` for the gateway's or a node's): entries of other agents and commands allowed with "Always allow" are gone. On a host shared with agents that this brain does not have, add the \`agents\` entries of this file to the host's document instead (\`openclaw approvals get --json\` shows it)${pinned ? ", and remove these agents' curl entries without `argPattern`, which would allow curl with any arguments" : ""}.`,
        ]
      : []),
    "",
    `${allow ? 5 : 4}. Start (or restart) the gateway, then apply the cron declarations (idempotent: each has a declaration key), and remove the cron jobs of \`${brain.name}\` that they no longer declare (a renamed or removed agent's or schedule's, which would go on running):`,
    "",
    "   ```sh",
    "   node -e 'for (const j of require(\"./cron.json\").jobs) require(\"child_process\").execFileSync(\"openclaw\", [\"cron\", \"add\", ...j.args], { stdio: \"inherit\" })'",
    `   ${staleCronJobsCommand(brain.name)}`,
    "   ```",
    "",
    "## Agents",
    "",
    "| agent | model | skills | cron jobs |",
    "| --- | --- | --- | --- |",
    ...plan.agents.map((a) => `| \`${a.agent.id}\` | \`${routeModel(brain, a.agent.route).primary}\` | ${a.tools.skills.map((s) => `\`${s}\``).join(", ") || "—"} | ${jobs.filter((j) => j.agent === a.agent.id).length} |`),
    "",
    ...(differences.length ? ["## Where OpenClaw runs the brain differently", "", "brainc warned about these (BRN512); nothing in this output makes up for them.", "", ...differences, ""] : []),
    "## What OpenClaw does not enforce",
    "",
    `OpenClaw has no per-job step, tool-call, token or cost caps, no budgets, and no path or network fences beyond \`tools.fs.workspaceOnly\`. brainc wrote these limits into each agent's AGENTS.md as instructions; to enforce them, run the agents under the supervisor target. ${
      brain.gateway
        ? "A LiteLLM gateway built by the litellm target enforces the global budget for these agents' requests, but not agent or task budgets: those need each agent to call with its own key and each request to carry its task's tag, and here every agent calls the gateway with one key and no tags."
        : "The agents call the providers directly (brain.yaml has no `gateway`), so nothing outside the supervisor target enforces the budgets."
    }`,
    "",
    ...plan.agents.filter((a) => a.limits.supervisor.length || a.limits.budgets.length || a.notes.length).map((a) => `- \`${a.agent.id}\`: ${[...a.limits.supervisor, ...a.limits.budgets, ...a.notes].join("; ")}.`),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
