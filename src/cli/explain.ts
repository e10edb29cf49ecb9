import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { loadTargets } from "../emit/build.js";
import { runTargets } from "../emit/run.js";
import { agentText, explainAgent, explainRoute, routeOf, routeText } from "../explain/explain.js";
import { compileForCli, findAgent, knownHint } from "./compile.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

export interface ExplainOptions {
  brain: string;
  env?: string;
  /** Targets whose limits `explain agent` reports; empty: all. */
  target: string[];
  format: "text" | "json";
}

/**
 * `brainc explain route <task>`: the task class's model chain (context windows, output limits, prices per
 * million tokens), the fallback rules and every budget that applies. "default" is routing.yaml `default`.
 * Unknown task class: BRN210, exit 1.
 */
export async function explainRouteCommand(task: string, options: ExplainOptions, io: Io): Promise<number> {
  const { brain, code } = await compileForCli(io, options.brain, options.env);
  if (!brain) return code;
  const route = routeOf(brain, task);
  if (!route) {
    const known = ["default", ...Object.keys(brain.tasks)];
    return printDiagnostics(io, [diagnostic("BRN210", `task class ${JSON.stringify(task)} is not declared in routing.yaml`, { hint: knownHint(task, known, "task classes") })], { format: "text" });
  }
  const explained = explainRoute(brain, route);
  io.stdout(options.format === "json" ? JSON.stringify(explained, null, 2) + "\n" : routeText(explained));
  return EXIT.ok;
}

/**
 * `brainc explain agent <id>`: the agent's effective policy with the files that set each value, its tools,
 * model chain, schedules, budget, and what each target cannot express for it (the BRN509 diagnostics the
 * targets report when run in memory). Unknown agent: BRN212, exit 1.
 */
export async function explainAgentCommand(id: string, options: ExplainOptions, io: Io): Promise<number> {
  const { brain, root, code } = await compileForCli(io, options.brain, options.env);
  if (!brain) return code;
  const found = findAgent(brain, id);
  if ("diagnostic" in found) return printDiagnostics(io, [found.diagnostic], { format: "text" });
  const agent = found.agent;
  const loaded = await loadTargets(brain, root, options.target, io.cwd);
  if (hasErrors(loaded.diagnostics)) return printDiagnostics(io, loaded.diagnostics, { format: "text", brainRoot: root });
  const limits: { target: string; diagnostics: Diagnostic[] }[] = [];
  for (const target of loaded.targets) limits.push({ target: target.name, diagnostics: (await runTargets(brain, [target])).diagnostics });
  const explained = explainAgent(brain, agent, limits);
  io.stdout(options.format === "json" ? JSON.stringify(explained, null, 2) + "\n" : agentText(explained));
  return EXIT.ok;
}
