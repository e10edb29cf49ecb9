import { envSegments } from "../../src/emit/env-refs.js";

/** LiteLLM's env reference prefix: the proxy replaces any config string `os.environ/NAME` by `$NAME` at startup. */
export const ENV_PREFIX = "os.environ/";

/** One environment variable the config reads. */
export interface EnvVar {
  name: string;
  /** The brain's `${env:NAME:-default}` default, written into .env.example as the example value. */
  default?: string;
  /** What reads it, e.g. "provider zai api_base". Sorted, unique. */
  usedBy: string[];
  /** For a variable brainc made up (a string mixing text and references): the value to give it, in `${NAME}` form. */
  template?: string;
}

/** What a brain string became in the config, plus the BRN509 notes the conversion calls for. */
export interface EnvNote {
  kind: "default" | "composed";
  variable: string;
  detail: string;
}

/**
 * Renders brain strings holding `${env:…}` references in LiteLLM's native form and collects every variable
 * the config reads, for `.env.example`. LiteLLM only resolves a whole string (`os.environ/NAME`; unset
 * variables silently become None; no defaults), so:
 * - a string that is exactly one reference becomes `os.environ/NAME` (a default goes into .env.example);
 * - a string mixing text and references becomes `os.environ/<synthetic>` where the synthetic variable is
 *   documented in .env.example with the value to give it;
 * - a string without references stays literal.
 */
export class EnvCollector {
  private readonly vars = new Map<string, EnvVar>();
  readonly notes: EnvNote[] = [];

  /**
   * The config value for `value`; `usedBy` says what reads it; `synthetic` names the variable to make up
   * if the string mixes text and references (upper-case, e.g. "BRAINC_ZAI_API_BASE").
   */
  render(value: string, usedBy: string, synthetic: string): string {
    const segments = envSegments(value);
    if (segments.every((s) => "text" in s)) return value;
    if (segments.length === 1 && "env" in segments[0]) {
      const { env, default: dflt } = segments[0];
      this.use(env, usedBy, dflt);
      if (dflt !== undefined) this.notes.push({ kind: "default", variable: env, detail: usedBy });
      return ENV_PREFIX + env;
    }
    const template = segments.map((s) => ("env" in s ? `\${${s.env}}` : s.text)).join("");
    this.use(synthetic, usedBy, undefined, template);
    this.notes.push({ kind: "composed", variable: synthetic, detail: usedBy });
    return ENV_PREFIX + synthetic;
  }

  /** Records that the config reads `name` (also for references brainc writes itself, such as the master key). */
  use(name: string, usedBy: string, dflt?: string, template?: string): void {
    const v = this.vars.get(name) ?? { name, usedBy: [] };
    if (!v.usedBy.includes(usedBy)) v.usedBy = [...v.usedBy, usedBy].sort();
    if (dflt !== undefined && v.default === undefined) v.default = dflt;
    if (template !== undefined) v.template = template;
    this.vars.set(name, v);
  }

  /** The variables, sorted by name. */
  list(): EnvVar[] {
    return [...this.vars.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/**
 * The `.env.example` text: one `NAME=example` line per variable (the brain's default, or empty), each
 * preceded by comments saying what reads it. Dotenv syntax (docker compose `env_file`, `set -a; . file`).
 */
export function envExample(brainName: string, env: string, vars: readonly EnvVar[]): string {
  const lines = [
    `# Environment of the LiteLLM proxy built by brainc from brain "${brainName}"${env === "default" ? "" : ` (env ${env})`}.`,
    "# Every variable that config.yaml reads through `os.environ/NAME`. LiteLLM turns an unset variable into",
    "# None without an error, so set each one (values shown are the brain's defaults).",
  ];
  for (const v of vars) {
    lines.push("", ...v.usedBy.map((u) => `# ${u}`));
    if (v.template !== undefined) lines.push(`# made up by brainc: LiteLLM cannot compose strings; set it to ${v.template}`);
    const value = v.default ?? "";
    lines.push(`${v.name}=${/^[A-Za-z0-9_.,:/@+=-]*$/.test(value) ? value : JSON.stringify(value)}`);
  }
  return lines.join("\n") + "\n";
}

/** The variable names a `.env.example` text defines (lines `NAME=…`). */
export function envExampleNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}
