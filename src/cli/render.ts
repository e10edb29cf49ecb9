import { diagnostic } from "../diagnostics/codes.js";
import { Renderer } from "../render/render.js";
import { compileForCli, findAgent, knownHint } from "./compile.js";
import { EXIT, printDiagnostics, type Io } from "./report.js";

export interface RenderOptions {
  brain: string;
  agent: string;
  env?: string;
}

/**
 * `brainc render <prompt> --agent <id>`: prints the prompt template `prompts/<prompt>.md` rendered for
 * the agent (in the environment `--env`), exactly as the targets receive it; `_<name>` renders the
 * partial `<name>` alone. Unknown prompt: BRN201; unknown partial: BRN202;
 * unknown agent: BRN212; template problems: their BRN2xx codes; all exit 1.
 */
export async function renderCommand(prompt: string, options: RenderOptions, io: Io): Promise<number> {
  const { brain, code } = await compileForCli(io, options.brain, options.env);
  if (!brain) return code;
  const id = prompt.replace(/\.md$/, "").replace(/^prompts\//, "");
  // A partial (`_name.md`, named by its file or by its partial name) renders on its own too.
  const partial = /(^|\/)_([^/]+)$/.exec(id)?.[2];
  const [templates, name] = partial !== undefined ? [brain.partials, partial] : [brain.prompts, id];
  const template = Object.hasOwn(templates, name) ? templates[name] : undefined;
  if (!template) {
    const missing = partial !== undefined
      ? diagnostic("BRN202", `no partial ${JSON.stringify(partial)} (prompts/**/_${partial}.md)`, { hint: knownHint(partial, Object.keys(brain.partials), "partials") })
      : diagnostic("BRN201", `no prompt ${JSON.stringify(prompt)} (prompts/${id}.md)`, { hint: knownHint(id, Object.keys(brain.prompts), "prompts") });
    return printDiagnostics(io, [missing], { format: "text" });
  }
  const found = findAgent(brain, options.agent);
  if ("diagnostic" in found) return printDiagnostics(io, [found.diagnostic], { format: "text" });
  const rendered = new Renderer(brain).render(found.agent, template);
  if (rendered.text === undefined) return printDiagnostics(io, rendered.diagnostics, { format: "text" });
  io.stdout(rendered.text);
  return EXIT.ok;
}
