import { createRequire } from "node:module";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { diagnostic, type Code } from "../diagnostics/codes.js";
import type { Agent, Brain, Template } from "../link/model.js";
import { HELPER_NAMES, HELPERS } from "./helpers.js";
import { describeSyntaxError } from "./syntax-errors.js";
import { checkVariables, contextShape, type Shape } from "./variables.js";

type HbsNode = { type: string; loc?: { start: { line: number; column: number }; end: { line: number; column: number } }; [k: string]: any };

/** The variables a template sees (brain-format.md, "Render context"). */
export interface RenderContext {
  brain: { name: string; description?: string };
  agent: {
    id: string;
    name: string;
    description?: string;
    task: string;
    model: { primary?: string; fallbacks: string[] };
    tools: { id: string; description: string; risk: string[] }[];
    memory: { id: string; description?: string; scope: string }[];
    policy: Agent["policy"];
  };
  /** The overlay name, or "default". */
  env: string;
  /** Declared `input` variables with their defaults. */
  input: Record<string, unknown>;
}

/** Builds the render context of one agent and template. */
export function renderContext(brain: Brain, agent: Agent, template: Template): RenderContext {
  return {
    brain: { name: brain.name, ...(brain.description !== undefined && { description: brain.description }) },
    agent: {
      id: agent.id,
      name: agent.name,
      ...(agent.description !== undefined && { description: agent.description }),
      task: agent.route.task,
      model: { primary: agent.route.chain[0]?.id, fallbacks: agent.route.chain.slice(1).map((m) => m.id) },
      tools: agent.tools.map((t) => ({ id: t.id, description: t.description, risk: [...(t.risk ?? [])] })),
      memory: agent.memory.map((m) => ({ id: m.id, ...(m.description !== undefined && { description: m.description }), scope: m.scope })),
      policy: agent.policy,
    },
    env: brain.env,
    input: Object.fromEntries(Object.entries(template.input).map(([k, s]) => [k, s.default ?? null])),
  };
}

/** Error raised while rendering, carrying the brain-relative file and range it points at. */
class TemplateError extends Error {
  constructor(readonly code: Code, message: string, readonly file: string, readonly range: Range, readonly hint?: string) {
    super(message);
  }
}

/** Compile options: strict variables, no HTML escaping, only brainc's helpers (which also makes compiling faster). */
const COMPILE_OPTIONS = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((h) => [h, true])),
} as const;

const require = createRequire(import.meta.url);
/** The jison lexer of Handlebars' grammar (the part of it brainc uses). */
interface Lexer {
  setInput(input: string, yy: object): void;
  lex(): number | string;
  yytext: string;
  yylloc: { first_line: number; first_column: number };
}
/**
 * Handlebars' parser alone (its compiler/base module): `brainc validate` parses templates but never
 * compiles them, and loading all of Handlebars would triple the cost.
 */
const parser = (): { parseWithoutProcessing(body: string): hbs.AST.Program; parser: { lexer: Lexer; terminals_: Record<number, string> } } =>
  require("handlebars/dist/cjs/handlebars/compiler/base.js");

/**
 * The innermost block a template leaves open (`{{#if x}}` with no `{{/if}}`): how it opens (`{{#`, `{{^`,
 * `{{#>`), its name and where it opens (1-based line, 0-based column), found with Handlebars' own
 * lexer. Undefined when every block is closed.
 */
function unclosedBlock(body: string): { opener: string; name: string; line: number; column: number } | undefined {
  const { lexer: prototype, terminals_: names } = parser().parser;
  const lexer = Object.create(prototype) as Lexer;
  lexer.setInput(body, {});
  const open: { opener: string; name: string; line: number; column: number }[] = [];
  let opening: { opener: string; name: string; line: number; column: number } | undefined;
  for (;;) {
    const token = lexer.lex();
    const name = typeof token === "number" ? names[token] : token;
    if (name === "EOF" || name === "INVALID" || name === undefined) break;
    // The block's name or path (agent.tools) is its first ID, and a SEP and ID after each other.
    if (opening && (name === "SEP" ? opening.name !== "" : name === "ID" && (opening.name === "" || opening.name.endsWith(".") || opening.name.endsWith("/")))) {
      opening.name += lexer.yytext;
      continue;
    }
    if (opening) open.push(opening);
    opening = undefined;
    if (name === "OPEN_BLOCK" || name === "OPEN_INVERSE" || name === "OPEN_PARTIAL_BLOCK") opening = { opener: lexer.yytext.replace("~", ""), name: "", line: lexer.yylloc.first_line, column: lexer.yylloc.first_column };
    else if (name === "OPEN_ENDBLOCK") open.pop();
  }
  return open.at(-1);
}

/** All of Handlebars, loaded when something is rendered. */
const handlebars = (): typeof import("handlebars") => require("handlebars");

const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

/** The source range of `length` characters at `line` (1-based) and `column` (0-based) of a template's body. */
export function lineRange(template: Template, line: number, column: number, length = 1): Range {
  const l = template.bodyLine + line - 1;
  return { start: { line: l, column: column + 1 }, end: { line: l, column: column + 1 + length } };
}

/**
 * Makes `hbs` compile paths that stop at a missing value. In strict mode Handlebars reads every part of a
 * path but the last without a check (it assumes objects), so `{{#if agent.policy.tools.deny}}` threw a
 * TypeError for an agent whose policy has no `tools`. With this, `a.b.c` is undefined as soon as `a.b` is:
 * a helper's parameter (`#if`, `#each`, `default`, …) gets undefined, and a printed value is still strict
 * mode's "not defined" error (BRN215). Uses Handlebars' documented extension point (a JavaScriptCompiler
 * whose `nameLookup` is overridden; handlebars 4.7), for every program of a template (`compiler`).
 */
function withSafeLookups(hbs: typeof import("handlebars")): void {
  type CompilerClass = new () => { nameLookup(parent: unknown, name: string, type: string): unknown; quotedString(s: string): string; lookupPropertyFunctionIsUsed: boolean; lookupPropertyFunctionVarDeclaration(): string };
  const env = hbs as unknown as { JavaScriptCompiler: CompilerClass };
  const Base = env.JavaScriptCompiler;
  class SafeLookups extends Base {
    override nameLookup(parent: unknown, name: string, type: string): unknown {
      if (type !== "context" && type !== "data") return super.nameLookup(parent, name, type);
      this.lookupPropertyFunctionIsUsed = true;
      return ["lookupSafe(", parent, ",", this.quotedString(name), ")"];
    }
    override lookupPropertyFunctionVarDeclaration(): string {
      return `${super.lookupPropertyFunctionVarDeclaration()}, lookupSafe = function(parent, name) { return parent == null ? parent : lookupProperty(parent, name); }`;
    }
  }
  (SafeLookups.prototype as unknown as { compiler: CompilerClass }).compiler = SafeLookups;
  env.JavaScriptCompiler = SafeLookups;
}

/**
 * Parsed and compiled templates by body text, and the Handlebars environment (with brainc's helpers)
 * that compiles them: each template is parsed once, for the static checks and for compiling. A command
 * uses one for its run, so that they are garbage once the prompts are rendered (≈ 75 MB for 2,000
 * templates); `build --watch` keeps one across rebuilds, so unchanged templates are not compiled again.
 */
export class TemplateCache {
  private readonly parsed = new Map<string, hbs.AST.Program>();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();
  private hbs?: typeof import("handlebars");
  /** Results of the static checks by parsed template (see {@link checkTemplates}), then by what else they depend on. */
  private readonly checks = new WeakMap<object, Map<string, unknown>>();

  /**
   * `compute()`, or what it gave before for the same parsed template (`ast`, from {@link parse}) and `key`
   * (what else the result depends on), so that `build --watch` checks again only the templates an edit touched.
   */
  memo<T>(ast: object, key: string, compute: () => T): T {
    let byKey = this.checks.get(ast);
    if (!byKey) this.checks.set(ast, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, compute());
    return byKey.get(key) as T;
  }

  /**
   * Parses a template body (once). Throws Handlebars' parse error. The AST is the parser's own: standalone
   * lines are stripped (Handlebars' WhitespaceControl) when it is compiled, which is where Handlebars
   * does it for an AST (doing it here too would strip twice).
   */
  parse(body: string): hbs.AST.Program {
    let ast = this.parsed.get(body);
    if (!ast) {
      ast = parser().parseWithoutProcessing(body);
      this.parsed.set(body, ast);
    }
    return ast;
  }

  /** The Handlebars environment with brainc's helpers and {@link withSafeLookups} (created on first use). */
  environment(): typeof import("handlebars") {
    if (!this.hbs) {
      this.hbs = handlebars().create();
      withSafeLookups(this.hbs);
      this.hbs.unregisterHelper("log"); // it writes to the console (see BUILTIN_HELPERS)
      for (const [name, fn] of Object.entries(HELPERS)) this.hbs.registerHelper(name, fn);
    }
    return this.hbs;
  }

  /** Compiles a template body (once) in {@link environment}. Throws Handlebars' errors. */
  compile(body: string): HandlebarsTemplateDelegate {
    let fn = this.compiled.get(body);
    if (!fn) {
      fn = this.environment().compile(this.parse(body), COMPILE_OPTIONS);
      this.compiled.set(body, fn);
    }
    return fn;
  }
}

/**
 * A Handlebars environment for one brain: strict variables, no HTML escaping, partials from
 * `prompts/**\/_<name>.md`, the helpers of {@link HELPERS}, no prototype access.
 * Templates are parsed once; `render` throws nothing: problems come back as diagnostics.
 */
export class Renderer {
  private readonly hbs: typeof import("handlebars");

  /** `cache`: where parsed and compiled templates are kept (see {@link TemplateCache}). */
  constructor(private readonly brain: Brain, private readonly cache = new TemplateCache()) {
    // The environment's partials are this brain's, and only this brain's (a kept cache serves many brains).
    this.hbs = cache.environment();
    for (const name of Object.keys(this.hbs.partials)) this.hbs.unregisterPartial(name);
    for (const partial of Object.values(brain.partials)) {
      this.hbs.registerPartial(partial.id, (context: unknown, options: unknown) => {
        try {
          return this.cache.compile(partial.body)(context, options as RuntimeOptions);
        } catch (e) {
          throw this.toTemplateError(e, partial);
        }
      });
    }
  }

  private toTemplateError(e: unknown, template: Template): TemplateError {
    if (e instanceof TemplateError) return e;
    const err = e as Error & { lineNumber?: number; column?: number };
    const notDefined = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/.exec(err.message);
    if (notDefined) {
      const [, name, line, column] = notDefined;
      // Handlebars names the last part of the path only; the mustache at its position has the whole path.
      const written = /^(?:\{\{[~{&]?\s*)?([^\s}~()]+)/.exec(template.body.split("\n")[Number(line) - 1]?.slice(Number(column)) ?? "")?.[1];
      const path = written && (written === name || written.endsWith(`.${name}`) || written.endsWith(`/${name}`)) ? written : name;
      const hint = path === name ? "templates see brain, agent, env and input (declare extra variables under `input:` in the frontmatter); guard optional values with {{#if}}" : `the value is missing for this agent: guard it with {{#if ${path}}}…{{/if}}, or give it a value`;
      return new TemplateError("BRN215", `${JSON.stringify(path)} is not defined in the render context`, template.source, lineRange(template, Number(line), Number(column), path.length), hint);
    }
    // Strict mode looks a printed name up with `in`, which throws for a string or number (an `input` value
    // read as if it were an object): the value's shape is free-form, so only rendering finds this.
    const notObject = /^Cannot use 'in' operator to search for '(.*)' in (.*)$/s.exec(err.message);
    if (e instanceof TypeError && notObject) {
      const [, name, value] = notObject;
      return new TemplateError("BRN215", `${JSON.stringify(name)} is read from ${JSON.stringify(value.slice(0, 60))}, which is not an object`, template.source, lineRange(template, 1, 0), "check what the template iterates over or reads: a list of strings has no fields");
    }
    return new TemplateError("BRN214", err.message.split("\n")[0], template.source, lineRange(template, err.lineNumber ?? 1, err.column ?? 0));
  }

  /** Renders one template for one agent. */
  render(agent: Agent, template: Template): { text?: string; diagnostics: Diagnostic[] } {
    try {
      const text = this.cache.compile(template.body)(renderContext(this.brain, agent, template), RUNTIME_OPTIONS);
      return { text, diagnostics: [] };
    } catch (e) {
      const err = this.toTemplateError(e, template);
      return { diagnostics: [diagnostic(err.code, `${err.message} (rendering for agent ${JSON.stringify(agent.id)})`, { file: err.file, range: err.range, hint: err.hint })] };
    }
  }
}

/** Walks a Handlebars AST. */
function walk(node: HbsNode | undefined, visit: (n: HbsNode) => void): void {
  if (!node || typeof node !== "object") return;
  visit(node);
  for (const key of ["body", "params", "program", "inverse", "path", "hash", "pairs", "value", "name"]) {
    const child = node[key];
    if (Array.isArray(child)) child.forEach((c) => walk(c, visit));
    else if (child && typeof child === "object" && child.type) walk(child, visit);
    else if (child && typeof child === "object" && Array.isArray(child.body)) walk(child, visit);
  }
}

/** A number for each object (a parsed template, a policy shape) that no other object gets in this process: part of memo keys. */
const objectIds = new WeakMap<object, number>();
let objectCount = 0;
const idOf = (value: object): number => {
  let id = objectIds.get(value);
  if (id === undefined) objectIds.set(value, (id = ++objectCount));
  return id;
};

/**
 * What one parsed template says on its own: decorators and computed partial names (BRN214), unknown
 * helpers (BRN216), and the partials it includes by name (`refs`, with their ranges; not those it
 * defines inline, `{{#*inline "name"}}`, and not `@partial-block`).
 */
function scanTemplate(template: Template, ast: HbsNode): { diagnostics: Diagnostic[]; refs: { name: string; range: Range }[] } {
  const diagnostics: Diagnostic[] = [];
  const named: { name: string; range: Range }[] = [];
  // Partials a template defines for itself ({{#*inline "name"}}…{{/inline}}) are not files.
  const inline = new Set<string>();
  walk(ast, (n) => {
    const at = (len: number) => lineRange(template, n.loc?.start.line ?? 1, n.loc?.start.column ?? 0, len);
    if (n.type === "DecoratorBlock" && n.path?.original === "inline" && n.params?.[0]?.type === "StringLiteral") inline.add(n.params[0].value);
    if ((n.type === "Decorator" || n.type === "DecoratorBlock") && n.path?.original !== "inline") {
      diagnostics.push(diagnostic("BRN214", "template syntax error: decorators ({{* name}}) are not supported, except {{#*inline \"name\"}}…{{/inline}}", { file: template.source, range: at(3) }));
    }
    if ((n.type === "PartialStatement" || n.type === "PartialBlockStatement") && n.name?.type === "SubExpression") {
      diagnostics.push(diagnostic("BRN214", "template syntax error: a partial's name must be written out ({{> name}}), so that it can be checked", { file: template.source, range: at(3) }));
    } else if (n.type === "PartialStatement" || n.type === "PartialBlockStatement") {
      const name = n.name?.original ?? String(n.name?.value);
      if (!name.startsWith("@")) named.push({ name, range: at(name.length + 4) }); // not @partial-block
    }
    if ((n.type === "MustacheStatement" || n.type === "SubExpression" || n.type === "BlockStatement") && (n.params?.length || n.hash)) {
      const name = n.path?.original;
      if (n.path?.type === "PathExpression" && typeof name === "string" && !HELPER_NAMES.has(name)) {
        diagnostics.push(diagnostic("BRN216", `unknown helper ${JSON.stringify(name)}`, { file: template.source, range: at(name.length + 2), hint: `helpers: ${[...Object.keys(HELPERS), "if", "unless", "each", "with", "lookup"].join(", ")}` }));
      }
    }
  });
  return { diagnostics, refs: inline.size ? named.filter((r) => !inline.has(r.name)) : named };
}

/**
 * Static checks of every template and partial: syntax (BRN214), unknown helpers (BRN216), missing
 * partials (BRN202), partial cycles (BRN203) and variables that are not in the render context (BRN215,
 * by shape; see {@link checkVariables}). Runs without an agent, so it also covers unused templates.
 * `policyShape` is the shape of an effective policy (from schemas/policy.schema.json); the parsed
 * templates are kept in `cache` for rendering.
 */
export function checkTemplates(brain: Pick<Brain, "prompts" | "partials">, policyShape: Shape, cache = new TemplateCache()): Diagnostic[] {
  const out: Diagnostic[] = [];
  const asts = new Map<Template, HbsNode>();
  const uses = new Map<Template, { name: string; range: Range }[]>();
  for (const template of [...Object.values(brain.prompts), ...Object.values(brain.partials)]) {
    let ast: HbsNode;
    try {
      ast = cache.parse(template.body) as unknown as HbsNode;
    } catch (e) {
      // Handlebars' own exceptions (a block closed by the wrong name) carry lineNumber/column; its jison
      // parser's errors only a text snippet, so their position is the lexer's last token (yylloc:
      // 1-based line, 0-based column), read right after the synchronous parse failed.
      const err = e as Error & { lineNumber?: number; column?: number };
      const lexed = parser().parser.lexer?.yylloc;
      let [line, column] = err.lineNumber !== undefined ? [err.lineNumber, err.column ?? 0] : [lexed?.first_line ?? 1, lexed?.first_column ?? 0];
      let detail = describeSyntaxError(err.message) ?? (err.lineNumber !== undefined ? err.message.replace(/ - \d+:\d+$/, "") : undefined);
      // The parser stops at the end of the template; the block left open is where the fix goes.
      const unclosed = detail?.startsWith("a block is not closed") ? unclosedBlock(template.body) : undefined;
      if (unclosed) {
        [line, column] = [unclosed.line, unclosed.column];
        detail = `a block is not closed: \`${unclosed.opener}${unclosed.name}}}\` has no \`{{/${unclosed.name}}}\` before the template ends`;
      }
      out.push(diagnostic("BRN214", `template syntax error${detail ? `: ${detail}` : ""}`, { file: template.source, range: lineRange(template, line, column) }));
      continue;
    }
    asts.set(template, ast);
    const scan = cache.memo(ast, `${template.source}\0${template.bodyLine}`, () => scanTemplate(template, ast));
    out.push(...scan.diagnostics);
    const refs = scan.refs;
    for (const { name, range } of refs) {
      if (!Object.hasOwn(brain.partials, name)) out.push(diagnostic("BRN202", `unknown partial ${JSON.stringify(name)}`, { file: template.source, range, hint: `partials are files named prompts/**/_${name}.md` }));
    }
    uses.set(template, refs);
  }
  const partials = Object.fromEntries(Object.values(brain.partials).map((t) => [t.id, { template: t, ast: asts.get(t) }]));
  // A prompt's variable checks depend on its input and on the partials it reaches (by name: they may be
  // added, removed or edited), each as parsed and where it is written; the parsed template stands for its text.
  const reached = (prompt: Template): string => {
    const names = new Set<string>();
    const queue = [...(uses.get(prompt) ?? [])];
    for (let ref = queue.shift(); ref; ref = queue.shift()) {
      if (names.has(ref.name)) continue;
      names.add(ref.name);
      const partial = Object.hasOwn(brain.partials, ref.name) ? brain.partials[ref.name] : undefined;
      if (partial) queue.push(...(uses.get(partial) ?? []));
    }
    return [...names].sort().map((name) => {
      const partial = Object.hasOwn(brain.partials, name) ? brain.partials[name] : undefined;
      const ast = partial && asts.get(partial);
      return `${name}\0${partial ? (ast ? `${idOf(ast)}\0${partial.source}\0${partial.bodyLine}` : "unparsed") : "missing"}`;
    }).join("\n");
  };
  for (const prompt of Object.values(brain.prompts)) {
    const ast = asts.get(prompt);
    if (!ast) continue;
    const key = `${prompt.source}\0${prompt.bodyLine}\0${JSON.stringify(prompt.input)}\0${reached(prompt)}`;
    out.push(...cache.memo(ast, `${typeof policyShape === "object" ? idOf(policyShape) : policyShape}\0${key}`, () => checkVariables(prompt, ast, contextShape(policyShape, prompt), partials)));
  }
  // Cycles among partials (depth-first, reported once per cycle at the partial that closes it).
  const state = new Map<string, "open" | "done">();
  const partialUses = (name: string) => (Object.hasOwn(brain.partials, name) ? uses.get(brain.partials[name]) : undefined);
  const visit = (name: string, stack: string[]) => {
    state.set(name, "open");
    for (const ref of partialUses(name) ?? []) {
      if (state.get(ref.name) === "open") {
        const path = [...stack, name];
        const cycle = [...path.slice(path.indexOf(ref.name)), ref.name];
        out.push(diagnostic("BRN203", `partials include each other in a cycle: ${cycle.join(" → ")}`, { file: brain.partials[name].source, range: ref.range }));
      } else if (!state.has(ref.name) && partialUses(ref.name)) visit(ref.name, [...stack, name]);
    }
    state.set(name, "done");
  };
  for (const name of Object.keys(brain.partials).filter((n) => partialUses(n)).sort()) if (!state.has(name)) visit(name, []);
  return out;
}
