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

/** A `${env:NAME:-default}` default as brainc met it: the variable, the default and the brain file it is in. */
export interface EnvDefault {
  name: string;
  value: string;
  file: string;
}

/** One variable that has more than one default in the brain: every default with its file, and the one `env.vars` holds. */
export interface DefaultConflict {
  name: string;
  defaults: EnvDefault[];
  applied: string;
}

/**
 * Renders brain `${env:…}` references the way OpenClaw 2026.9 reads them. Collects the defaults of
 * `${env:NAME:-default}` references into `env.vars`, which OpenClaw applies only when the variable is
 * missing from the process environment, so the default is honoured without being resolved at build time.
 * Defaults of credentials are never collected (they would be plaintext secrets in openclaw.json): they
 * are listed in {@link droppedSecretDefaults} for a BRN512 instead.
 */
export class EnvRenderer {
  /** NAME → default, for `env.vars` of openclaw.json (the last default rendered wins; see {@link conflicts}). */
  readonly defaults = new Map<string, string>();
  /** Names that OpenClaw's `${VAR}` substitution cannot see (it matches only `[A-Z_][A-Z0-9_]*`). */
  readonly unsupported = new Set<string>();
  /** Defaults of credential references, left out of openclaw.json. */
  readonly droppedSecretDefaults: EnvDefault[] = [];
  /** Every default that went into `env.vars`, in the order rendered. */
  private readonly seen: EnvDefault[] = [];

  /**
   * A string with every `${env:NAME}` rewritten as OpenClaw's `${NAME}` substitution; `$` before `{` in
   * literal text is escaped as `$${`. `file`: the brain file the value comes from (for diagnostics).
   * `secret`: the value is a credential, so its defaults are dropped instead of going to `env.vars`.
   */
  text(value: string, file = "brain.yaml", secret = false): string {
    return envSegments(value)
      .map((s) => {
        if ("text" in s) return s.text.replace(/\$\{/g, () => "$${");
        if (!/^[A-Z_][A-Z0-9_]*$/.test(s.env)) this.unsupported.add(s.env);
        if (s.default !== undefined) this.keepDefault({ name: s.env, value: s.default, file }, secret);
        return `\${${s.env}}`;
      })
      .join("");
  }

  /**
   * A credential: a SecretRef when the value is exactly one `${env:NAME}` whose name fits OpenClaw's
   * SecretRef id pattern (`^[A-Z][A-Z0-9_]{0,127}$`); otherwise `${NAME}` substitution. Either way a
   * default is not written (see {@link droppedSecretDefaults}).
   */
  secret(value: string, file = "brain.yaml"): EnvSecretRef | string {
    const ref = singleEnvRef(value);
    if (ref && /^[A-Z][A-Z0-9_]{0,127}$/.test(ref.env)) {
      if (ref.default !== undefined) this.droppedSecretDefaults.push({ name: ref.env, value: ref.default, file });
      return { source: "env", provider: "default", id: ref.env };
    }
    return this.text(value, file, true);
  }

  /** Every string value of a string record rendered with {@link text} (`secret`: as credentials). */
  record(values: Record<string, string> | undefined, file = "brain.yaml", secret = false): Record<string, string> | undefined {
    if (!values) return undefined;
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, this.text(v, file, secret)]));
  }

  /**
   * Variables whose defaults disagree while `env.vars` sets one of them for the whole gateway process
   * (OpenClaw 2026.9 applies `env.vars` to the process environment, which exec and so the skills'
   * curl inherit). `others`: defaults that do not go into `env.vars` but read the same variable (a
   * skill's own curl `--variable %NAME=default`, which the `env.vars` value overrides).
   */
  conflicts(others: EnvDefault[] = []): DefaultConflict[] {
    const out: DefaultConflict[] = [];
    for (const [name, applied] of this.defaults) {
      const defaults = [...this.seen, ...others].filter((d) => d.name === name);
      if (new Set(defaults.map((d) => d.value)).size > 1) out.push({ name, defaults, applied });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private keepDefault(d: EnvDefault, secret: boolean): void {
    if (secret) {
      this.droppedSecretDefaults.push(d);
      return;
    }
    this.seen.push(d);
    this.defaults.set(d.name, d.value);
  }
}
