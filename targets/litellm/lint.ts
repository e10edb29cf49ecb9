import { ENV_PREFIX } from "./env.js";

/** One semantic problem of a LiteLLM config: where (JSON pointer) and what. */
export interface LintFinding {
  pointer: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Every `os.environ/NAME` reference in a value, with its JSON pointer. LiteLLM resolves such strings
 * anywhere in the config (proxy_server.py `_check_for_os_environ_vars`).
 */
export function envReferences(value: unknown, pointer = ""): { pointer: string; name: string }[] {
  if (typeof value === "string") return value.startsWith(ENV_PREFIX) ? [{ pointer, name: value.slice(ENV_PREFIX.length) }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => envReferences(v, `${pointer}/${i}`));
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => envReferences(v, `${pointer}/${esc(k)}`));
  return [];
}

/**
 * The semantic rules JSON Schema cannot state (LiteLLM only finds these at request time, or never):
 * `model_group_alias` targets are groups; every key and target of `fallbacks`, `context_window_fallbacks`
 * and `content_policy_fallbacks` is a group, an alias, a deployment `model_info.id` or `*`; fallbacks form
 * no cycle; no fallback list is longer than `max_fallbacks` (LiteLLM default 5); `model_info.id`s are
 * unique; `provider_budget_config` names providers that deployments use; every `os.environ/` variable is
 * in `.env.example` (`envNames`). Expects a config that passed the schema; tolerates anything.
 */
export function lintConfig(config: unknown, envNames: ReadonlySet<string>): LintFinding[] {
  const findings: LintFinding[] = [];
  if (!isObj(config)) return [{ pointer: "", message: "the config is not a mapping" }];
  const deployments = Array.isArray(config.model_list) ? config.model_list.filter(isObj) : [];
  const router = isObj(config.router_settings) ? config.router_settings : {};

  const groups = new Set<string>();
  const ids = new Map<string, number>();
  const providers = new Set<string>();
  deployments.forEach((d, i) => {
    if (typeof d.model_name === "string") groups.add(d.model_name);
    const params = isObj(d.litellm_params) ? d.litellm_params : {};
    if (typeof params.model === "string" && params.model.includes("/")) providers.add(params.model.split("/")[0]);
    const id = isObj(d.model_info) ? d.model_info.id : undefined;
    if (typeof id === "string") {
      if (ids.has(id)) findings.push({ pointer: `/model_list/${i}/model_info/id`, message: `model_info.id ${JSON.stringify(id)} is also the id of model_list/${ids.get(id)}; LiteLLM keeps one deployment per id` });
      else ids.set(id, i);
    }
  });

  const aliases = isObj(router.model_group_alias) ? router.model_group_alias : {};
  for (const [alias, target] of Object.entries(aliases)) {
    const group = isObj(target) ? target.model : target;
    if (typeof group !== "string" || !groups.has(group)) findings.push({ pointer: `/router_settings/model_group_alias/${esc(alias)}`, message: `alias ${JSON.stringify(alias)} points to ${JSON.stringify(group)}, which is no model group` });
  }

  const known = (name: string) => name === "*" || groups.has(name) || ids.has(name) || name in aliases;
  const maxFallbacks = typeof router.max_fallbacks === "number" ? router.max_fallbacks : 5;
  for (const kind of ["fallbacks", "context_window_fallbacks", "content_policy_fallbacks"]) {
    const list = router[kind];
    if (!Array.isArray(list)) continue;
    const edges = new Map<string, string[]>();
    list.forEach((item, i) => {
      if (!isObj(item)) return;
      for (const [key, targets] of Object.entries(item)) {
        const at = `/router_settings/${kind}/${i}/${esc(key)}`;
        if (!known(key)) findings.push({ pointer: at, message: `${kind} key ${JSON.stringify(key)} is no model group, alias or deployment id` });
        const list = Array.isArray(targets) ? targets.filter((t): t is string => typeof t === "string") : typeof targets === "string" ? [targets] : [];
        list.forEach((t, j) => {
          if (!known(t)) findings.push({ pointer: `${at}/${j}`, message: `${kind} target ${JSON.stringify(t)} is no model group, alias or deployment id` });
        });
        if (list.length > maxFallbacks) findings.push({ pointer: at, message: `${list.length} ${kind} for ${JSON.stringify(key)}, but max_fallbacks is ${maxFallbacks}: LiteLLM never tries the last ${list.length - maxFallbacks}` });
        const resolve = (n: string) => (typeof aliases[n] === "string" ? (aliases[n] as string) : n);
        edges.set(resolve(key), [...(edges.get(resolve(key)) ?? []), ...list.map(resolve)]);
      }
    });
    const cycle = findCycle(edges);
    if (cycle) findings.push({ pointer: `/router_settings/${kind}`, message: `${kind} form a cycle: ${cycle.join(" → ")}` });
  }

  const budgets = isObj(router.provider_budget_config) ? router.provider_budget_config : {};
  for (const provider of Object.keys(budgets)) {
    if (!providers.has(provider)) findings.push({ pointer: `/router_settings/provider_budget_config/${esc(provider)}`, message: `provider budget for ${JSON.stringify(provider)}, which no deployment uses` });
  }

  for (const ref of envReferences(config)) {
    if (!envNames.has(ref.name)) findings.push({ pointer: ref.pointer, message: `environment variable ${ref.name} is read but missing from .env.example` });
  }
  return findings;
}

/** A cycle in a directed graph (as the list of its nodes, first repeated at the end), or undefined. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}
