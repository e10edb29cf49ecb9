import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/codes.js";
import type { Template } from "../link/model.js";
import { didYouMeanHint } from "../validate/did-you-mean.js";
import { HELPER_NAMES } from "./helpers.js";

/**
 * The shape of a value in the render context: an object with known keys, a list of one shape, a
 * free-form value (any key may exist: embedded JSON Schemas), or a leaf (string, number, …).
 */
export type Shape = { object: Record<string, Shape> } | { list: Shape } | "any" | "leaf";

type Node = { type: string; loc?: { start: { line: number; column: number } }; [k: string]: any };

/** Whether a value of this shape prints as `[object Object]` (an object, or a list of objects). */
function printsObject(shape: Shape | undefined): boolean {
  if (typeof shape !== "object") return false;
  return "object" in shape || printsObject(shape.list);
}

/** Derives a shape from a JSON Schema (draft-07): properties become keys, items the list shape. */
export function shapeOfSchema(schema: any, root: any = schema): Shape {
  if (schema?.$ref?.startsWith("#/definitions/")) return shapeOfSchema(root.definitions[schema.$ref.slice(14)], root);
  if (schema?.properties) return { object: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, shapeOfSchema(v, root)])) };
  if (schema?.type === "array") return { list: schema.items ? shapeOfSchema(schema.items, root) : "any" };
  if (schema?.type === "object" || schema?.additionalProperties) return "any";
  return "leaf";
}

/** The render context's shape (brain-format.md "Render context"), for one template's declared input. */
export function contextShape(policy: Shape, template: Template): Shape {
  const leaf = "leaf" as const;
  const list = (s: Shape): Shape => ({ list: s });
  return {
    object: {
      brain: { object: { name: leaf, description: leaf } },
      agent: {
        object: {
          id: leaf,
          name: leaf,
          description: leaf,
          task: leaf,
          model: { object: { primary: leaf, fallbacks: list(leaf) } },
          tools: list({ object: { id: leaf, description: leaf, risk: list(leaf) } }),
          memory: list({ object: { id: leaf, description: leaf, scope: leaf } }),
          policy,
        },
      },
      env: leaf,
      input: { object: Object.fromEntries(Object.keys(template.input).map((k) => [k, "any" as Shape])) },
    },
  };
}

interface Scope {
  shape: Shape;
  params: Record<string, Shape>;
  data: Record<string, Shape>;
}

/**
 * Checks every variable a template reads against the shape of the render context, without rendering:
 * unknown names are BRN215 errors at their line:column, with a did-you-mean. Follows Handlebars'
 * scoping: `#each` (items, `@index`/`@key`/`@first`/`@last`, block params), `#with`, `../`, `this`,
 * `@root`, and partials (checked with the caller's context). Whether an optional value is present for a
 * given agent is data, not shape: `brainc build` renders every prompt strictly for every agent.
 */
export function checkVariables(template: Template, ast: Node, shape: Shape, partials: Record<string, { template: Template; ast: Node | undefined }>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenPartials = new Set<string>();
  // A partial checked again with the same scopes finds the same things: checked once per (name, scopes),
  // or a chain of partials that each include the next twice takes 2^n walks.
  const checked = new Set<string>();
  const ids = new Map<object, number>();
  const idOf = (shape: Shape): string => {
    if (typeof shape === "string") return shape;
    if (!ids.has(shape)) ids.set(shape, ids.size);
    return String(ids.get(shape));
  };
  const scopesKey = (stack: Scope[]) =>
    stack.map((s) => [idOf(s.shape), ...[s.params, s.data].map((r) => Object.entries(r).map(([k, v]) => `${k}=${idOf(v)}`).join(","))].join(";")).join("|");
  // Inline partials ({{#*inline "name"}}…{{/inline}}) by name, of each template on the way in (the
  // innermost first): Handlebars registers them when their program starts, and partials called from
  // there see them too. Their bodies are checked where they are called, in the caller's context.
  const inlineScopes: Map<string, Node>[] = [];
  const inlinesOf = (root: Node, body: string): Map<string, Node> => {
    const found = new Map<string, Node>();
    if (!body.includes("inline")) return found;
    const walk = (n: Node | undefined): void => {
      if (!n || typeof n !== "object") return;
      if (n.type === "DecoratorBlock" && n.path?.original === "inline" && n.params?.[0]?.type === "StringLiteral") found.set(n.params[0].value, n.program);
      for (const child of [...(n.body ?? []), n.program, n.inverse]) walk(child);
    };
    walk(root);
    return found;
  };
  const visit = (node: Node | undefined, stack: Scope[], current: Template): void => {
    if (!node) return;
    const at = (n: Node, len: number) => {
      const line = current.bodyLine + (n.loc?.start.line ?? 1) - 1;
      const column = (n.loc?.start.column ?? 0) + 1;
      return { file: current.source, range: { start: { line, column }, end: { line, column: column + len } } };
    };
    const resolve = (path: Node): Shape | undefined => {
      if (path.type !== "PathExpression") {
        if (path.type === "SubExpression") {
          visitExpression(path);
          return "any";
        }
        return "leaf"; // literals
      }
      if (path.depth > stack.length - 1) {
        // Handlebars has no context above the template's own: rendering fails there in strict mode.
        out.push(diagnostic("BRN215", `${JSON.stringify(path.original)} goes ${path.depth === 1 ? "one level" : `${path.depth} levels`} up with ../, above the template's own context`, { ...at(path, path.original.length), hint: `only #each and #with blocks open a context that ../ leaves; here ${stack.length - 1 === 0 ? "none is open" : `${stack.length - 1} ${stack.length - 1 === 1 ? "is" : "are"} open`}: write the path without ../ (or with @root.)` }));
        return undefined;
      }
      const scope = stack[stack.length - 1 - path.depth];
      let parts: string[] = path.parts;
      let shape: Shape;
      if (path.data) {
        const [head, ...rest] = parts;
        if (head === "root") shape = stack[0].shape;
        else if (Object.hasOwn(scope.data, head)) shape = scope.data[head];
        else {
          out.push(diagnostic("BRN215", `@${head} is not defined here`, { ...at(path, path.original.length), hint: didYouMeanHint(head, ["root", ...Object.keys(scope.data)]) }));
          return undefined;
        }
        parts = rest;
      } else if (parts.length && path.depth === 0 && !path.original.startsWith("this") && Object.hasOwn(scope.params, parts[0])) {
        shape = scope.params[parts[0]];
        parts = parts.slice(1);
      } else shape = scope.shape;
      for (const part of parts) {
        if (shape === "any") return "any";
        if (typeof shape === "object" && "object" in shape && Object.hasOwn(shape.object, part)) {
          shape = shape.object[part];
          continue;
        }
        if (typeof shape === "object" && "list" in shape && /^\d+$/.test(part)) {
          shape = shape.list;
          continue;
        }
        const known = typeof shape === "object" && "object" in shape ? Object.keys(shape.object) : [];
        const where = path.original.slice(0, Math.max(0, path.original.lastIndexOf(part) - 1)) || "the context";
        out.push(diagnostic("BRN215", `${JSON.stringify(path.original)} is not in the render context: ${where} has no ${JSON.stringify(part)}`, { ...at(path, path.original.length), hint: didYouMeanHint(part, known) ?? "templates see brain, agent, env and input (declare extra variables under `input:` in the frontmatter)" }));
        return undefined;
      }
      return shape;
    };
    const visitExpression = (n: Node) => {
      for (const p of n.params ?? []) resolve(p);
      for (const pair of n.hash?.pairs ?? []) resolve(pair.value);
    };
    switch (node.type) {
      case "Program":
        for (const child of node.body) visit(child, stack, current);
        return;
      case "MustacheStatement":
      case "SubExpression": {
        const helper = node.params?.length || node.hash;
        if (helper) visitExpression(node);
        else {
          const shape = resolve(node.path);
          if (node.type === "MustacheStatement" && printsObject(shape)) {
            const what = typeof shape === "object" && "list" in shape ? "a list of objects" : "an object";
            out.push(diagnostic("BRN220", `{{${node.path.original}}} prints ${what}, which renders as [object Object]`, { ...at(node.path, node.path.original.length), hint: `print one of its fields, loop over it with {{#each ${node.path.original}}}, or print it as JSON with {{json ${node.path.original}}}` }));
          }
        }
        return;
      }
      case "BlockStatement": {
        const name = node.path.original;
        // `{{#name}}…{{/name}}` without parameters and without a helper of that name is a section over a
        // value (Handlebars' blockHelperMissing): a list iterates like #each, an object is the context like #with.
        const section = !node.params?.length && !node.hash && node.path.type === "PathExpression" && !HELPER_NAMES.has(name);
        const target = section ? resolve(node.path) : node.params?.[0] ? resolve(node.params[0]) : undefined;
        for (const p of node.params?.slice(1) ?? []) resolve(p);
        const scope = stack[stack.length - 1];
        if (name === "each" || (section && typeof target === "object" && "list" in target)) {
          const item: Shape = typeof target === "object" && "list" in target ? target.list : "any";
          const [as, index] = node.program?.blockParams ?? [];
          const params = { ...scope.params, ...(as && { [as]: item }), ...(index && { [index]: "leaf" as Shape }) };
          const data = { ...scope.data, index: "leaf" as Shape, key: "leaf" as Shape, first: "leaf" as Shape, last: "leaf" as Shape };
          visit(node.program, [...stack, { shape: item, params, data }], current);
        } else if (name === "with" || (section && (target === "any" || (typeof target === "object" && "object" in target)))) {
          const [as] = node.program?.blockParams ?? [];
          const shape = target ?? "any";
          visit(node.program, [...stack, { shape, params: { ...scope.params, ...(as && { [as]: shape }) }, data: scope.data }], current);
        } else visit(node.program, stack, current);
        visit(node.inverse, stack, current);
        return;
      }
      case "DecoratorBlock":
        // {{#*inline "name"}}: checked where it is called (see inlineScopes).
        return;
      case "PartialStatement":
      case "PartialBlockStatement": {
        const name = node.name?.original;
        const inline = inlineScopes.find((scope) => scope.has(name))?.get(name);
        const partial = inline ? { ast: inline, template: current } : partials[name];
        const ctxShape = node.params?.[0] ? resolve(node.params[0]) : stack[stack.length - 1].shape;
        for (const pair of node.hash?.pairs ?? []) resolve(pair.value);
        if (!partial?.ast || seenPartials.has(name) || ctxShape === undefined) return;
        const hashShapes = Object.fromEntries((node.hash?.pairs ?? []).map((p: Node) => [p.key, "any" as Shape]));
        const shape: Shape = typeof ctxShape === "object" && "object" in ctxShape && node.hash ? { object: { ...ctxShape.object, ...hashShapes } } : ctxShape;
        const scopes = [...stack, { shape, params: {}, data: stack[stack.length - 1].data }];
        const key = `${inline ? `${current.source}#` : ""}${name}\0${scopesKey(scopes)}`;
        if (checked.has(key)) return;
        checked.add(key);
        seenPartials.add(name);
        if (!inline) inlineScopes.unshift(inlinesOf(partial.ast, partial.template.body));
        visit(partial.ast, scopes, partial.template);
        if (!inline) inlineScopes.shift();
        seenPartials.delete(name);
        return;
      }
    }
  };
  inlineScopes.push(inlinesOf(ast, template.body));
  visit(ast, [{ shape, params: {}, data: {} }], template);
  return out;
}
