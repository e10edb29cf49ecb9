import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import { compileBrain } from "../compile.js";
import type { Agent, Brain } from "../link/model.js";
import { didYouMeanHint } from "../validate/did-you-mean.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

/** Compiles one environment of the brain for a command that reads it (explain, render), or prints its errors. */
export async function compileForCli(io: Io, brainDir: string, env?: string): Promise<{ brain?: Brain; root: string; code: number }> {
  const root = resolve(io.cwd, brainDir);
  const result = await compileBrain(root, { env });
  if (!result.brain || hasErrors(result.diagnostics)) return { root, code: printDiagnostics(io, result.diagnostics, { format: "text", brainRoot: root }) };
  return { brain: result.brain, root, code: EXIT.ok };
}

/** A did-you-mean or the list of what exists. */
export function knownHint(name: string, known: string[], what: string): string {
  return didYouMeanHint(name, known) ?? (known.length ? `${what}: ${known.join(", ")}` : `the brain has no ${what}`);
}

/** The agent with this id, or the BRN212 diagnostic naming the agents that exist. */
export function findAgent(brain: Brain, id: string): { agent: Agent } | { diagnostic: Diagnostic } {
  const agent = Object.hasOwn(brain.agents, id) ? brain.agents[id] : undefined;
  if (agent) return { agent };
  return { diagnostic: diagnostic("BRN212", `no agent ${JSON.stringify(id)} (agents/${id}.yaml)`, { hint: knownHint(id, Object.keys(brain.agents), "agents") }) };
}
