import { envSegments, singleEnvRef } from "../../src/emit/env-refs.js";

/**
 * An OpenClaw SecretRef for an environment variable (OpenClaw 2026.9 `SecretRef`, source "env",
 * provider "default": needs no `secrets.providers` declaration).
 */
export interface EnvSecretRef {
  source: "env";
  provider: "default";
  id: string;
}

/**
 * Renders brain `${env:…}` references the way OpenClaw 2026.9 reads them. Collects the defaults of
 * `${env:NAME:-default}` references into `env.vars`, which OpenClaw applies only when the variable is
 * missing from the process environment, so the default is honoured without being resolved at build time.
 */
export class EnvRenderer {
  /** NAME → default, for `env.vars` of openclaw.json. */
  readonly defaults = new Map<string, string>();
  /** Names that OpenClaw's `${VAR}` substitution cannot see (it matches only `[A-Z_][A-Z0-9_]*`). */
  readonly unsupported = new Set<string>();

  /** A string with every `${env:NAME}` rewritten as OpenClaw's `${NAME}` substitution; `$` before `{` in literal text is escaped as `$${`. */
  text(value: string): string {
    return envSegments(value)
      .map((s) => {
        if ("text" in s) return s.text.replace(/\$\{/g, () => "$${");
        if (!/^[A-Z_][A-Z0-9_]*$/.test(s.env)) this.unsupported.add(s.env);
        if (s.default !== undefined) this.defaults.set(s.env, s.default);
        return `\${${s.env}}`;
      })
      .join("");
  }

  /**
   * A credential: a SecretRef when the value is exactly one `${env:NAME}` whose name fits OpenClaw's
   * SecretRef id pattern (`^[A-Z][A-Z0-9_]{0,127}$`) and has no default; otherwise `${NAME}` substitution.
   */
  secret(value: string): EnvSecretRef | string {
    const ref = singleEnvRef(value);
    if (ref && ref.default === undefined && /^[A-Z][A-Z0-9_]{0,127}$/.test(ref.env)) return { source: "env", provider: "default", id: ref.env };
    return this.text(value);
  }

  /** Every string value of a string record rendered with {@link text}. */
  record(values: Record<string, string> | undefined): Record<string, string> | undefined {
    if (!values) return undefined;
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, this.text(v)]));
  }
}
