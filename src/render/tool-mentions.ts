import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { Agent, Brain, Template } from "../link/model.js";
import { lineRange } from "./render.js";

/** A tool id written as inline code (`` `gmail-label` ``), as the brain's prompts name tools. */
const CODE_SPAN = /`([A-Za-z0-9][A-Za-z0-9_-]*)`/g;

/**
 * BRN221 warnings: the rendered instructions or persona of `agent` name a tool of the brain, as inline
 * code, that the agent does not have (it does not list it, or its policy takes it away). The model is told
 * to call a tool it cannot call; the guard then denies the call. Located at the first place the prompt's
 * own text names it, else at the prompt file (a partial or a variable named it).
 */
export function toolMentions(brain: Brain, agent: Agent): Diagnostic[] {
  const own = new Set(agent.tools.map((t) => t.id));
  const text = `${agent.instructions ?? ""}\n${agent.personaText ?? ""}`;
  const named = new Set([...text.matchAll(CODE_SPAN)].map((m) => m[1]).filter((id) => Object.hasOwn(brain.tools, id) && !own.has(id)));
  return [...named].sort().map((id) => {
    const inPersona = agent.persona !== undefined && !agent.prompt.body.includes(`\`${id}\``) && agent.persona.body.includes(`\`${id}\``);
    return diagnostic("BRN221", `the prompt of agent ${JSON.stringify(agent.id)} names tool ${JSON.stringify(id)}, which the agent does not have`, {
      ...where(inPersona ? agent.persona! : agent.prompt, id),
      hint: `add ${id} to the agent's tools (and its policy's allow list), or take it out of the prompt`,
    });
  });
}

/** The first place a template's own body names `` `id` ``, else the template's file. */
function where(template: Template, id: string): Pick<Diagnostic, "file" | "range"> {
  const at = template.body.indexOf(`\`${id}\``);
  if (at < 0) return { file: template.source };
  const before = template.body.slice(0, at).split("\n");
  return { file: template.source, range: lineRange(template, before.length, before[before.length - 1].length, id.length + 2) };
}
