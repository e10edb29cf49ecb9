import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { hasErrors } from "./diagnostics/diagnostic.js";
import { loadBrain, type SourceSet } from "./load/load.js";
import { deepFreeze } from "./link/freeze.js";
import { link } from "./link/link.js";
import type { Brain, Template } from "./link/model.js";
import { checkInputDefaults } from "./render/defaults.js";
import { checkTemplates, Renderer, TemplateCache } from "./render/render.js";
import { toolMentions } from "./render/tool-mentions.js";
import { shapeOfSchema, type Shape } from "./render/variables.js";
import { readSchema } from "./validate/ajv.js";
import { collectDocuments, type Documents, type TemplateDocument } from "./validate/documents.js";
import { validateSchemas } from "./validate/schema.js";
import { checkSecrets } from "./validate/secrets.js";

/** A brain read and checked file by file (the stages that do not depend on the overlay). */
export interface LoadResult {
  /** Absent when the brain could not be read at all (no brain.yaml). */
  sources?: SourceSet;
  diagnostics: Diagnostic[];
}

/** Load → validate: discovers and parses every file, validates it against its schema and the secrets rules. */
export async function loadAndValidate(root: string): Promise<LoadResult> {
  const loaded = loadBrain(root);
  if (!loaded.sources) return loaded;
  const diagnostics = [...loaded.diagnostics, ...(await validateSchemas(loaded.sources)), ...checkSecrets(loaded.sources)];
  return { sources: loaded.sources, diagnostics };
}

/** The result of compiling one environment of a brain up to (not including) the targets. */
export interface CompileResult {
  /** The linked, rendered, frozen brain (with `render: false`: neither rendered nor frozen); absent when there are errors. */
  brain?: Brain;
  documents?: Documents;
  /** The diagnostics of this environment (not those of {@link loadAndValidate}). */
  diagnostics: Diagnostic[];
}

const asTemplates = (docs: Record<string, TemplateDocument>): Record<string, Template> =>
  Object.fromEntries(Object.entries(docs).map(([id, d]) => [id, { id, source: d.file, input: (d.frontmatter.input ?? {}) as Template["input"], body: d.body, bodyLine: d.bodyLine }]));

/** The template checks of each source set (see compileEnv). */
const templateChecks = new WeakMap<SourceSet, Diagnostic[]>();

let policyShape: Shape | undefined;
/** The shape of an effective policy in the render context, from schemas/policy.schema.json. */
function effectivePolicyShape(): Shape {
  if (!policyShape) {
    const shape = shapeOfSchema(readSchema("policy"));
    if (typeof shape === "object" && "object" in shape) delete shape.object.description;
    policyShape = shape;
  }
  return policyShape;
}

/**
 * Overlay → link → render for one environment (`env` selects overlays/<env>.yaml; undefined or
 * "default" for none). Call only with sources whose load diagnostics have no errors. Never throws for
 * bad input. With `render: false` (what `brainc validate` does) templates are checked statically by
 * shape and not rendered, prompt input defaults are not checked against their schemas (BRN325), the
 * agents' `instructions` stay empty and the brain is not frozen (it is for checking, not for targets). `templates` keeps parsed and compiled templates (default: for this
 * call only; pass one to share them between environments and rebuilds).
 */
export async function compileEnv(sources: SourceSet, env?: string, options: { render?: boolean; templates?: TemplateCache } = {}): Promise<CompileResult> {
  const templates = options.templates ?? new TemplateCache();
  const collected = await collectDocuments(sources, env);
  const diagnostics = [...collected.diagnostics];
  const documents = collected.documents;
  if (!documents || hasErrors(diagnostics)) return { documents, diagnostics };

  // Overlays never patch prompts, so templates are checked once per source set, not once per environment;
  // later environments only need to know whether those checks failed.
  const checked = templateChecks.get(sources);
  if (checked) {
    if (hasErrors(checked)) return { documents, diagnostics };
  } else {
    const found = checkTemplates({ prompts: asTemplates(documents.prompts), partials: asTemplates(documents.partials) }, effectivePolicyShape(), templates);
    templateChecks.set(sources, found);
    diagnostics.push(...found);
  }
  const linked = link(documents);
  diagnostics.push(...linked.diagnostics);
  if (!linked.brain || hasErrors(diagnostics)) return { documents, diagnostics };

  const brain = linked.brain;
  if (options.render === false) return { brain, documents, diagnostics };
  diagnostics.push(...(await checkInputDefaults(documents.prompts)));
  const renderer = new Renderer(brain, templates);
  for (const agent of Object.values(brain.agents)) {
    const prompt = renderer.render(agent, agent.prompt);
    const persona = agent.persona && renderer.render(agent, agent.persona);
    diagnostics.push(...prompt.diagnostics, ...(persona?.diagnostics ?? []));
    agent.instructions = prompt.text ?? "";
    if (persona?.text !== undefined) agent.personaText = persona.text;
    diagnostics.push(...toolMentions(brain, agent));
  }
  if (hasErrors(diagnostics)) return { documents, diagnostics };
  return { brain: deepFreeze(brain), documents, diagnostics };
}

/**
 * The diagnostics of an overlay environment as users should see them beside the base brain's: those the
 * base brain already reported (same place and code; same message too for those without a range) are dropped, and the rest name the
 * overlay. For "default" the diagnostics are returned as they are.
 */
export function overlayDiagnostics(env: string, diagnostics: readonly Diagnostic[], base: readonly Diagnostic[]): Diagnostic[] {
  if (env === "default") return [...diagnostics];
  // A diagnostic with a range is the same one at the same place and code (its numbers may differ per
  // environment); one without a range (a whole file, or no file) is the same one only with the same message.
  const key = (d: Diagnostic) => (d.range ? `${d.file}:${d.range.start.line}:${d.range.start.column}:${d.code}` : `${d.file}::${d.code}:${d.message}`);
  const seen = new Set(base.map(key));
  const named = `overlay ${JSON.stringify(env)}`; // a message that names the overlay needs no suffix
  return diagnostics.filter((d) => !seen.has(key(d))).map((d) => (d.message.includes(named) ? d : { ...d, message: `${d.message} (with ${named})` }));
}

/** The environments a brain builds by default: "default" and every overlay, sorted. */
export function environments(sources: SourceSet): string[] {
  return ["default", ...sources.files.filter((f) => f.kind === "overlay").map((f) => f.id).sort()];
}

/** Convenience for library users and tests: load, validate and compile one environment. */
export async function compileBrain(root: string, options: { env?: string } = {}): Promise<CompileResult> {
  const loaded = await loadAndValidate(root);
  if (!loaded.sources || hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics };
  const result = await compileEnv(loaded.sources, options.env);
  return { ...result, diagnostics: [...loaded.diagnostics, ...result.diagnostics] };
}
