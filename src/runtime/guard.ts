/**
 * Tool guards: whether one tool call may run, from the agent's effective policy and the tool's
 * contract. Checks, in order: the tool exists, `tools.deny`, `tools.allow`, the agent's tool list, the
 * input against the contract's JSON Schema (ajv), exec rules (`denyPatterns` over the normal form of
 * every command, `allowBins`), path rules (`~` is the home directory; paths are resolved against the
 * workspace and through symlinks, and both spellings must pass; every operand and option value of a
 * command is a path unless it is a URL; under a directory that a command goes through, `grep -r dir`, every
 * entry is checked too, see recursive.ts), network rules (hosts of URLs of any scheme after WHATWG URL
 * normalisation, so `0xA9FEA9FE` reads as 169.254.169.254; `file:` URLs are paths). What cannot be known
 * before the command runs fails closed: a path holding a variable or `~user` is denied when any path rule
 * is set; a command whose program cannot be identified is denied with `allowBins` and needs approval
 * without. A call that passes needs approval when `tools.requireApproval` names the tool, the contract
 * says `approval: always`, or it says `approval: on-risk` and some part of the call was not positively
 * allowed (no `allowBins`, no path or host allow list covering it).
 */
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";

/** Compiled glob matchers by pattern and options: a policy's globs are compiled once, not on every tool call. */
const matchers = new Map<string, (input: string) => boolean>();
function globMatch(input: string, glob: string, options: picomatch.PicomatchOptions): boolean {
  const key = JSON.stringify([glob, options]);
  let match = matchers.get(key);
  if (!match) matchers.set(key, (match = picomatch(glob, options)));
  return match(input);
}
import type { ValidateFunction } from "ajv";
import type { BundleAgent, BundleTool } from "./bundle.js";
import type { GuardDecision } from "./events.js";
import { recursionOf, walkTree, type Recursion } from "./recursive.js";
import { analyzeCommand, normalPattern, type SimpleCommand } from "./shell.js";

/** A guard's verdict; `rule` names the policy field that decided (e.g. "tools.exec.denyPatterns"). */
export interface GuardResult {
  decision: GuardDecision;
  reason?: string;
  rule?: string;
}

export interface GuardOptions {
  /** The agent's workspace directory (paths resolve against it; `workspaceOnly` confines to it). */
  workspace: string;
  /** The home directory `~` stands for. Default: os.homedir(). */
  home?: string;
}

/** Directories an executable given by path may live in when `allowBins` is set. */
const BIN_DIRS = new Set(["/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/usr/local/sbin"]);
const PATH_KEY = /^(path|paths|file|files|filename|filepath|dir|dirs|directory|workdir|cwd|folder)$|[a-z](Path|File|Dir|Directory)$/;
const COMMAND_KEY = /^(command|cmd|script|commandLine)$/;
/** Input fields of an exec tool naming the directory the command runs in. */
const WORKDIR_KEY = /^(workdir|cwd|dir|directory)$/;
/** Commands whose first operand is a pattern or program, not a file (`grep /x/ f`, `awk '/x/ {…}' f`). */
const PATTERN_FIRST = new Set(["grep", "egrep", "fgrep", "zgrep", "zegrep", "rg", "awk", "gawk", "mawk", "sed", "jq"]);
/** Options, by command, whose value (the next word) is a pattern or script, not a file. */
const PATTERN_OPTIONS: Record<string, Set<string>> = {
  find: new Set(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-lname", "-ilname"]),
  grep: new Set(["-e", "--regexp"]),
  egrep: new Set(["-e", "--regexp"]),
  fgrep: new Set(["-e", "--regexp"]),
  rg: new Set(["-e", "--regexp"]),
  sed: new Set(["-e", "--expression"]),
};
/** Options, by command, whose value is a field separator (`awk -F/`, `cut -d/`), never a path. */
const SEPARATOR_OPTIONS: Record<string, { short: string; long?: string }> = {
  awk: { short: "F", long: "--field-separator" },
  gawk: { short: "F", long: "--field-separator" },
  mawk: { short: "F" },
  cut: { short: "d", long: "--delimiter" },
  sort: { short: "t", long: "--field-separator" },
  paste: { short: "d", long: "--delimiters" },
  join: { short: "t" },
  column: { short: "s", long: "--separator" },
};
/** Options, by command, whose value is a directory the command's other operands are relative to. */
const DIR_OPTIONS: Record<string, { short: string; long?: string }> = { tar: { short: "C", long: "--directory" }, git: { short: "C" }, make: { short: "C", long: "--directory" } };
/** Commands whose operands are never files (their redirections still are). */
const NO_FILE_OPERANDS = new Set(["echo", "printf", "true", "false", ":", "sleep", "seq", "yes", "expr", "kill", "exit", "return", "shift", "wait", "set", "unset", "export", "declare", "typeset", "readonly", "local"]);
/** A URL of any scheme (`gopher://…`), or a `file:` URL. */
const URL_LIKE = /^([a-z][a-z0-9+.-]*:\/\/|file:)/i;
/** A bare IPv4 address, perhaps with a port and path (`169.254.169.254/latest`). */
const BARE_IP = /^(\d{1,3}\.){3}\d{1,3}(:\d+)?(\/.*)?$/;
/** A number (`50`, `-1`, `0.5`): checked against `paths.deny` only. */
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
/** URL schemes whose hosts a network allow list can vouch for; others are denied when `network.allow` is set. */
const KNOWN_SCHEMES = new Set(["http", "https", "ws", "wss", "ftp"]);
/** The most directory entries a glob in a command may make the guard read; more fail closed. */
const GLOB_LIMIT = 5000;
/** The most entries the guard checks under a directory a command goes through (`grep -r x dir`); more need approval. */
const TREE_LIMIT = 20_000;
/** The most words a brace expansion (`{a,b}`, `{1..9}`) may make; more fail closed. */
const BRACE_LIMIT = 256;
const GLOB = { dot: true } as const;
const CMD_GLOB = { dot: true, bash: true, noextglob: true, nobrace: true } as const;

const deny = (rule: string, reason: string): GuardResult => ({ decision: "deny", rule, reason });

/** A path to check: as written, the directories it may be relative to, and how it was written. */
interface PathRef {
  raw: string;
  /** Directories the command may run in (see `SimpleCommand.cwd`), each relative to the one before. */
  cwd: string[];
  /** Written in a command line: variables, `~user`, braces and globs have their shell meaning. */
  shell: boolean;
  /** Only `paths.deny` applies: one reading of a short-option cluster (`-fid_rsa` may be `-f id_rsa`). */
  denyOnly?: boolean;
  /** Globs match dot files too (the command line mentions `dotglob`, `GLOBIGNORE` or zsh's `globdots`). */
  dotglob?: boolean;
  /** An operand of a command that goes through everything under a directory (`grep -r`, `rg`, `cp -r`). */
  recursive?: Recursion;
}

/** Why a call needs approval although no rule denies it. */
interface Doubt {
  rule: string;
  reason: string;
}

/** Guards the tool calls of one agent; compiles each tool's input schema once. */
export class ToolGuard {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly home: string;
  private readonly workspace: string;
  private readonly realWorkspace: string;

  constructor(
    private readonly tools: Record<string, BundleTool>,
    private readonly agent: BundleAgent,
    options: GuardOptions,
  ) {
    this.home = options.home ?? homedir();
    this.workspace = resolve(options.workspace);
    this.realWorkspace = realish(this.workspace);
  }

  /** Decides one call of tool `name` with arguments `input`. Never throws. */
  check(name: string, input: unknown): GuardResult {
    const tool = this.tools[name];
    const policy = this.agent.policy.tools ?? {};
    if (!tool) return deny("tools", `unknown tool "${name}"`);
    if (policy.deny?.includes(name)) return deny("tools.deny", `the policy denies "${name}"`);
    if (policy.allow && !policy.allow.includes(name)) return deny("tools.allow", `"${name}" is not in the policy's allow list`);
    if (!this.agent.tools.includes(name)) return deny("agent.tools", `"${name}" is not one of agent ${this.agent.id}'s tools`);
    const invalid = this.validateInput(tool, input);
    if (invalid) return deny("input", `the input does not match ${name}'s contract: ${invalid}`);

    const unverified: string[] = [];
    const doubts: Doubt[] = [];
    const paths: PathRef[] = [];
    const urls: string[] = [];
    collect(input, paths, urls);
    if (tool.risk?.includes("exec")) {
      const verdict = this.checkExec(input as Record<string, unknown>, paths, urls, unverified, doubts);
      if (verdict) return verdict;
    }
    const template = tool.implementation.http?.url;
    if (typeof template === "string" && !/\{\{/.test(template.split("/").slice(0, 3).join("/"))) urls.push(template);
    for (const p of paths) {
      const verdict = this.checkPath(p, unverified, doubts);
      if (verdict) return verdict;
    }
    for (const u of urls) {
      const verdict = this.checkUrl(u, unverified);
      if (verdict) return verdict;
    }

    if (policy.requireApproval?.includes(name)) return { decision: "needs-approval", rule: "tools.requireApproval", reason: `the policy requires approval for "${name}"` };
    if (tool.approval === "always") return { decision: "needs-approval", rule: "tool.approval", reason: `"${name}" always needs approval` };
    if (doubts.length) return { decision: "needs-approval", rule: doubts[0].rule, reason: [...new Set(doubts.map((d) => d.reason))].join("; ") };
    if (tool.approval === "on-risk" && unverified.length) return { decision: "needs-approval", rule: "tool.approval", reason: `"${name}" needs approval on risk: ${[...new Set(unverified)].join("; ")}` };
    return { decision: "allow" };
  }

  private validateInput(tool: BundleTool, input: unknown): string | undefined {
    let validate = this.validators.get(tool.id);
    if (!validate) {
      validate = ajv().compile(tool.input);
      this.validators.set(tool.id, validate);
    }
    if (validate(input)) return undefined;
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
  }

  /** Whether any path rule is set: then a path that cannot be resolved is denied rather than only unverified. */
  private get pathRules(): boolean {
    const rules = this.agent.policy.tools?.paths ?? {};
    return Boolean(rules.deny?.length || rules.allow || rules.workspaceOnly);
  }

  private checkExec(input: Record<string, unknown>, paths: PathRef[], urls: string[], unverified: string[], doubts: Doubt[]): GuardResult | undefined {
    const exec = this.agent.policy.tools?.exec ?? {};
    const line = Object.entries(input).find(([k, v]) => COMMAND_KEY.test(k) && typeof v === "string")?.[1] as string | undefined;
    if (line === undefined) return deny("tools.exec", "an exec tool call without a command cannot be checked");
    const workdir = Object.entries(input).find(([k, v]) => WORKDIR_KEY.test(k) && typeof v === "string")?.[1] as string | undefined;
    const analysis = analyzeCommand(line, workdir === undefined ? [] : [workdir]);
    const dotglob = /dotglob|globignore|glob_?dots/i.test(line);
    for (const pattern of exec.denyPatterns ?? []) {
      const normal = normalPattern(pattern);
      const hit = analysis.texts.find((t) => {
        const narrowed = narrowFlags(t, normal);
        return globMatch(t, normal, CMD_GLOB) || globMatch(t, pattern, CMD_GLOB) || (narrowed !== undefined && globMatch(narrowed, normal, CMD_GLOB));
      });
      if (hit !== undefined) return deny("tools.exec.denyPatterns", `the command matches the denied pattern "${pattern}" (read as "${hit}")`);
    }
    if (analysis.problems.length) return deny("tools.exec", analysis.problems.join("; "));
    if (analysis.doubts.length) {
      if (exec.allowBins) return deny("tools.exec.allowBins", `the program that runs cannot be identified: ${analysis.doubts.join("; ")}`);
      doubts.push({ rule: "tools.exec", reason: analysis.doubts.join("; ") });
    }
    for (const c of analysis.commands) {
      if (c.name === "") {
        // only redirections: no program runs
      } else if (exec.allowBins) {
        if (!exec.allowBins.includes(c.name)) return deny("tools.exec.allowBins", `"${c.name}" is not an allowed executable (${exec.allowBins.join(", ")})`);
        if (c.bin.includes("/") && !BIN_DIRS.has(dirname(c.bin))) return deny("tools.exec.allowBins", `"${c.bin}" is not in a system bin directory`);
      } else unverified.push(`runs ${c.name}`);
      this.operands(c, paths, urls, dotglob);
      if (c.runtimeFiles) {
        if (this.pathRules) doubts.push({ rule: "tools.paths", reason: `${c.runtimeFiles}: those paths cannot be checked before it runs` });
        else unverified.push(c.runtimeFiles);
      }
    }
    return undefined;
  }

  /**
   * The paths and URLs one command names: every operand, every `--opt=value` and `NAME=value` value,
   * every reading of a short-option cluster's attached value (`-o/etc/x`), redirection targets and
   * assignment values — but not words of commands it runs (read as commands of their own), patterns
   * (grep's first operand, find's `-name` value), or operands of commands that take no files (`echo`).
   */
  private operands(c: SimpleCommand, paths: PathRef[], urls: string[], dotglob: boolean): void {
    const dirOption = DIR_OPTIONS[c.name];
    const dirs: string[] = [];
    if (dirOption) {
      for (const [i, a] of c.args.entries()) {
        if (a === `-${dirOption.short}` && c.args[i + 1] !== undefined) dirs.push(c.args[i + 1]);
        else if (a.startsWith(`-${dirOption.short}`) && a.length > 2 && !a.startsWith("--")) dirs.push(a.slice(2));
        else if (dirOption.long && a === dirOption.long && c.args[i + 1] !== undefined) dirs.push(c.args[i + 1]);
        else if (dirOption.long && a.startsWith(`${dirOption.long}=`)) dirs.push(a.slice(dirOption.long.length + 1));
      }
    }
    const cwd = [...c.cwd, ...dirs];
    const recursion = recursionOf(c.name, c.args);
    let operandCount = 0;
    const path = (raw: string, denyOnly = false, operand = false) =>
      paths.push({ raw, cwd, shell: true, dotglob, ...(denyOnly ? { denyOnly } : {}), ...(operand && recursion ? { recursive: recursion } : {}) });
    const value = (v: string, operand = false) => {
      if (URL_LIKE.test(v)) urls.push(v);
      else if (BARE_IP.test(v)) urls.push(`http://${v}`);
      // most likely an option's value (`-n 50`): were it a file, it would be one in a directory checked itself
      else if (NUMBER.test(v)) path(v, true);
      else {
        path(v, false, operand);
        // `@file` reads a file (curl -d @f, --data-binary=@f, -F x=@f)
        if (v.startsWith("@") && v.length > 1) value(v.slice(1));
        const eq = v.indexOf("=");
        if (eq > 0) value(v.slice(eq + 1));
      }
    };
    for (const r of c.redirects) path(r.target);
    for (const a of c.assignments) value(a.slice(a.indexOf("=") + 1));
    if (NO_FILE_OPERANDS.has(c.name)) return;
    const nested = (i: number) => c.nested.some(([from, to]) => i >= from && i < to);
    const patternOptions = PATTERN_OPTIONS[c.name];
    const patternGiven = c.args.some((a, i) => !nested(i) && (/^-[A-Za-z]*[ef]/.test(a) || /^--(regexp|file|expression)\b/.test(a)));
    let patternAt = PATTERN_FIRST.has(c.name) && !patternGiven ? -2 : -1;
    let endOfOptions = false;
    for (const [i, a] of c.args.entries()) {
      if (nested(i)) continue;
      if (!endOfOptions && a === "--") {
        endOfOptions = true;
        continue;
      }
      if (a === "-") continue;
      const separator = SEPARATOR_OPTIONS[c.name];
      if (separator && !endOfOptions) {
        const { short, long } = separator;
        if (a.startsWith(`-${short}`) || (long && (a === long || a.startsWith(`${long}=`)))) continue;
        if (c.args[i - 1] === `-${short}` || (long && c.args[i - 1] === long)) continue;
      }
      if (!endOfOptions && a.startsWith("-")) {
        const eq = a.indexOf("=");
        if (eq > 0) value(a.slice(eq + 1));
        if (!a.startsWith("--")) for (const reading of clusterValues(a)) path(reading.value, reading.denyOnly);
        continue;
      }
      if (patternOptions?.has(c.args[i - 1] ?? "")) continue;
      if (patternAt === -2) {
        patternAt = i;
        continue;
      }
      operandCount++;
      value(a, true);
    }
    // `grep -r x` and `rg x` go through the directory they run in
    if (recursion?.defaultsToCwd && operandCount === 0) path(".", false, true);
  }

  /** `~` and `~/…` in the agent's home folder; undefined for `~user`, `~+` and `~-`, which cannot be known here. */
  private expandHome(p: string): string | undefined {
    if (p === "~") return this.home;
    if (p.startsWith("~/")) return join(this.home, p.slice(2));
    return p.startsWith("~") ? undefined : p;
  }

  /** The directories a relative path may be relative to: the workspace, then each directory change; undefined when one cannot be known. */
  private bases(cwd: string[]): string[] | undefined {
    const out = [this.workspace];
    let at = this.workspace;
    for (const d of cwd) {
      const dir = d === "-" || d.includes("$") || /[*?[{]/.test(d) ? undefined : this.expandHome(d);
      if (dir === undefined) return undefined;
      at = resolve(at, dir);
      out.push(at);
    }
    return out;
  }

  /** Every path `ref` may name, each as [lexical, real] spellings, or why it cannot be known before running. */
  private spellings(ref: PathRef): string[][] | string {
    let words = [ref.raw];
    if (ref.shell) {
      if (ref.raw.includes("$")) return "it holds a variable";
      const expanded = expandBraces(ref.raw);
      if (!expanded) return "its brace expansion is too large";
      words = expanded;
    }
    const out: string[][] = [];
    for (const word of words) {
      const expandedHome = this.expandHome(word);
      if (expandedHome === undefined) return "~user, ~+ and ~- cannot be resolved here";
      let starts: [string, string][];
      if (isAbsolute(expandedHome)) starts = [["/", expandedHome]];
      else {
        const bases = this.bases(ref.cwd);
        if (!bases) return "the directory the command runs in cannot be known";
        starts = bases.map((b) => [b, expandedHome]);
      }
      for (const [base, rel] of starts) {
        out.push([...new Set([resolve(base, rel), physical(base, rel)])]);
        if (ref.shell && /[*?[]/.test(rel)) {
          const matches = expandGlob(base, rel, ref.dotglob ?? false);
          if (!matches) return "its glob matches too many files to check";
          for (const m of matches) out.push([...new Set([m, realish(m)])]);
        }
      }
    }
    return out;
  }

  private checkPath(ref: PathRef, unverified: string[], doubts: Doubt[] = []): GuardResult | undefined {
    const rules = this.agent.policy.tools?.paths ?? {};
    const raw = ref.raw;
    const found = this.spellings(ref);
    if (typeof found === "string") {
      if (ref.denyOnly) return undefined;
      if (this.pathRules) return deny("tools.paths", `the path ${raw} cannot be checked before the command runs: ${found}`);
      unverified.push(`touches ${raw}`);
      return undefined;
    }
    const globs = (list: string[]) => list.map((g) => this.expandHome(g) ?? g);
    const denied = globs(rules.deny ?? []);
    const allowed = rules.allow ? globs(rules.allow) : undefined;
    // A bare name (`sshd` in `journalctl -u sshd`, `notes.txt`) in a command run in the workspace is at most
    // a file of the workspace, the agent's own folder: only paths.deny applies, unless a link leads out of it.
    const own = ref.shell && ref.cwd.length === 0 && !/[/~$*?[{]/.test(raw) && found.every((s) => inside(s[s.length - 1], this.realWorkspace));
    const denyOnly = ref.denyOnly || own;
    for (const spellings of found) {
      const real = spellings[spellings.length - 1];
      for (const g of denied) {
        const hit = spellings.find((s) => globMatch(s, g, GLOB));
        if (hit) return deny("tools.paths.deny", `the path ${raw} (${hit}) matches the denied pattern "${g}"`);
      }
      if (denyOnly) continue;
      if (rules.workspaceOnly && !inside(real, this.realWorkspace)) return deny("tools.paths.workspaceOnly", `the path ${raw} (${real}) is outside the workspace ${this.realWorkspace}`);
      if (allowed && !spellings.every((s) => allowed.some((g) => globMatch(s, g, GLOB)))) return deny("tools.paths.allow", `the path ${raw} (${real}) is not under an allowed path (${rules.allow!.join(", ")})`);
    }
    if (!denyOnly && !allowed && !rules.workspaceOnly) unverified.push(`touches ${raw}`);
    if (ref.recursive && this.pathRules) {
      for (const spellings of found) {
        const verdict = this.checkTree(ref, spellings[spellings.length - 1], denied, allowed, doubts);
        if (verdict) return verdict;
      }
    }
    return undefined;
  }

  /**
   * What a command that goes through everything under directory `dir` (`grep -r x dir`) meets there:
   * each entry against `paths.deny`; with symlinks followed, each link's target against every path rule.
   * More entries than TREE_LIMIT: a doubt (approval), not a denial.
   */
  private checkTree(ref: PathRef, dir: string, denied: string[], allowed: string[] | undefined, doubts: Doubt[]): GuardResult | undefined {
    const { program, follow } = ref.recursive!;
    if (!isDirectory(dir)) return undefined;
    const entries = walkTree(dir, follow, TREE_LIMIT);
    if (!entries) {
      doubts.push({ rule: "tools.paths", reason: `${program} goes through everything under ${ref.raw}, more than ${TREE_LIMIT} entries to check` });
      return undefined;
    }
    const rules = this.agent.policy.tools?.paths ?? {};
    for (const { path, link } of entries) {
      const spellings = follow && link ? [path, realish(path)] : [path];
      for (const g of denied) {
        const hit = spellings.find((s) => globMatch(s, g, GLOB));
        if (hit) return deny("tools.paths.deny", `${program} goes through everything under ${ref.raw}, and ${hit} matches the denied pattern "${g}"`);
      }
      if (spellings.length === 1) continue;
      const target = spellings[1];
      if (rules.workspaceOnly && !inside(target, this.realWorkspace)) return deny("tools.paths.workspaceOnly", `${program} follows the link ${path} under ${ref.raw} to ${target}, outside the workspace ${this.realWorkspace}`);
      if (allowed && !allowed.some((g) => globMatch(target, g, GLOB))) return deny("tools.paths.allow", `${program} follows the link ${path} under ${ref.raw} to ${target}, which is not under an allowed path (${rules.allow!.join(", ")})`);
    }
    return undefined;
  }

  private checkUrl(raw: string, unverified: string[]): GuardResult | undefined {
    const rules = this.agent.policy.tools?.network ?? {};
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return deny("tools.network", `cannot read the URL ${raw}`);
    }
    const scheme = url.protocol.slice(0, -1).toLowerCase();
    if (scheme === "file") {
      if (rules.allow) return deny("tools.network.allow", `the file: URL ${raw} reaches no allowed host (${rules.allow.join(", ")})`);
      if (url.hostname && url.hostname.toLowerCase() !== "localhost") return deny("tools.network", `the file: URL ${raw} names a host`);
      let path: string;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        return deny("tools.network", `cannot read the path of ${raw}`);
      }
      return this.checkPath({ raw: path, cwd: [], shell: false }, unverified);
    }
    let hostname = url.hostname;
    if (!KNOWN_SCHEMES.has(scheme) && url.host) {
      // non-special schemes keep the host as written: read it the way http would (0xA9FEA9FE → 169.254.169.254)
      try {
        hostname = new URL(`http://${url.host}`).hostname;
      } catch {
        return deny("tools.network", `cannot read the host of ${raw}`);
      }
    }
    const host = normalHost(hostname);
    if (!host) return deny("tools.network", `the URL ${raw} names no host`);
    const hit = (rules.deny ?? []).find((g) => globMatch(host, g.toLowerCase(), GLOB));
    if (hit) return deny("tools.network.deny", `the host ${host} matches the denied host "${hit}"`);
    if (rules.allow) {
      if (!KNOWN_SCHEMES.has(scheme)) return deny("tools.network.allow", `the scheme ${scheme}: is not allowed where network.allow is set (${[...KNOWN_SCHEMES].join(", ")} only)`);
      if (!rules.allow.some((g) => globMatch(host, g.toLowerCase(), GLOB))) return deny("tools.network.allow", `the host ${host} is not an allowed host (${rules.allow.join(", ")})`);
    } else unverified.push(KNOWN_SCHEMES.has(scheme) ? `reaches ${host}` : `reaches ${host} over ${scheme}:`);
    return undefined;
  }
}

let shared: import("ajv").default | undefined;
function ajv(): import("ajv").default {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const { Ajv } = require("ajv") as typeof import("ajv");
    const addFormats = require("ajv-formats") as (a: import("ajv").default) => void;
    shared = new Ajv({ allErrors: true, strict: false });
    addFormats(shared);
  }
  return shared;
}

/** Collects path-like values (by key name) and URL values (any scheme, and `file:`) from a tool's input. */
function collect(value: unknown, paths: PathRef[], urls: string[], key = ""): void {
  if (typeof value === "string") {
    if (URL_LIKE.test(value)) urls.push(value);
    else if (PATH_KEY.test(key)) paths.push({ raw: value, cwd: [], shell: false });
  } else if (Array.isArray(value)) for (const v of value) collect(v, paths, urls, key);
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) collect(v, paths, urls, k);
}

/**
 * The values a short-option cluster may carry, since which letters take a value is not known: from each
 * letter on up to the first character that cannot be an option letter (`-o/etc/x` → `/etc/x`, `o/etc/x`).
 * A cluster of letters and digits only (`-rf`, `-fid_rsa` is not one) is read for `paths.deny` alone.
 */
function clusterValues(word: string): { value: string; denyOnly: boolean }[] {
  const body = word.slice(1);
  const stop = body.search(/[^A-Za-z0-9]/);
  const out: { value: string; denyOnly: boolean }[] = [];
  if (stop < 0) {
    for (let k = 1; k < body.length; k++) out.push({ value: body.slice(k), denyOnly: true });
    return out;
  }
  for (let k = 0; k <= stop; k++) if (body.slice(k)) out.push({ value: body.slice(k), denyOnly: false });
  return out;
}

/**
 * `denyPatterns` flags are a subset: when the pattern's first word after the name is a short-flag
 * cluster (`rm -fr *`) and the text's is a cluster holding all its letters (`rm -frv /`), the text with
 * the pattern's cluster in its place; otherwise undefined.
 */
function narrowFlags(text: string, pattern: string): string | undefined {
  const want = pattern.split(" ")[1];
  const words = text.split(" ");
  if (!want || !/^-[A-Za-z]+$/.test(want) || !/^-[A-Za-z]+$/.test(words[1] ?? "") || words[1] === want) return undefined;
  if (![...want.slice(1)].every((c) => words[1].includes(c))) return undefined;
  words[1] = want;
  return words.join(" ");
}

/** Bash brace expansion (`{a,b}`, `{1..3}`, `{a..c}`), nested; undefined past BRACE_LIMIT words. */
function expandBraces(word: string): string[] | undefined {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < word.length; i++) {
    if (word[i] === "{") {
      if (depth++ === 0) open = i;
    } else if (word[i] === "}" && depth > 0 && --depth === 0) {
      const body = word.slice(open + 1, i);
      const alternatives = splitTopLevel(body) ?? sequence(body);
      if (alternatives === "too long") return undefined;
      if (!alternatives) continue;
      const out: string[] = [];
      for (const alternative of alternatives) {
        const more = expandBraces(word.slice(0, open) + alternative + word.slice(i + 1));
        if (!more || out.length + more.length > BRACE_LIMIT) return undefined;
        out.push(...more);
      }
      return out;
    }
  }
  return [word];
}

/** `a,b{c,d}` → [a, b{c,d}]; undefined when there is no top-level comma. */
function splitTopLevel(body: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "{") depth++;
    else if (body[i] === "}") depth--;
    else if (body[i] === "," && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  if (!parts.length) return undefined;
  parts.push(body.slice(from));
  return parts;
}

/** `1..3` → [1, 2, 3], `a..c` → [a, b, c] (with an optional step); undefined for anything else. */
function sequence(body: string): string[] | "too long" | undefined {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return undefined;
  const numeric = /\d/.test(m[1]);
  if (numeric !== /\d/.test(m[2])) return undefined;
  const from = numeric ? Number(m[1]) : m[1].charCodeAt(0);
  const to = numeric ? Number(m[2]) : m[2].charCodeAt(0);
  const step = Math.abs(Number(m[3] ?? 1)) || 1;
  if (Math.abs(to - from) / step >= BRACE_LIMIT) return "too long";
  const out: string[] = [];
  for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) out.push(numeric ? String(v) : String.fromCharCode(v));
  return out;
}

/**
 * The files a glob (`*`, `?`, `[…]` in any segment of `rel`) matches under `base`, as bash matches them
 * but ignoring case (a superset, in case `nocaseglob` is on); dot files only for a segment starting with
 * `.` unless `dot`; undefined when that would read more than GLOB_LIMIT directory entries.
 */
function expandGlob(base: string, rel: string, dot: boolean): string[] | undefined {
  let current = [base];
  let read = 0;
  for (const segment of rel.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (!/[*?[]/.test(segment)) {
      current = current.map((c) => join(c, segment));
      continue;
    }
    const next: string[] = [];
    for (const dir of current) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      read += names.length;
      if (read > GLOB_LIMIT) return undefined;
      for (const n of names) if (globMatch(n, segment, { dot, nocase: true })) next.push(join(dir, n));
    }
    current = next;
  }
  return current.filter((p) => existsSync(p));
}

/** The real path of `p`: through symlinks for the part that exists, the rest appended as written. */
function realish(p: string): string {
  let existing = p;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) return p;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return p;
  }
}

/**
 * Where `rel` leads from `base` as the system walks it: symlinks followed segment by segment, so `..`
 * after a symlink leaves the link's target, not the link (`ws/link/../x`); the missing rest as written.
 */
function physical(base: string, rel: string): string {
  let at = realish(base);
  for (const segment of rel.split("/")) {
    if (segment === "" || segment === ".") continue;
    at = segment === ".." ? dirname(at) : join(at, segment);
    if (existsSync(at)) {
      try {
        at = realpathSync(at);
      } catch {
        // keep the path as written
      }
    }
  }
  return at;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function inside(p: string, dir: string): boolean {
  const rel = relative(dir, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Lower case, no trailing dot, no brackets; an IPv6 address that embeds an IPv4 address reads as that
 * address: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`, RFC 4291 2.5.5.1) and NAT64's
 * well-known prefix (`64:ff9b::a.b.c.d`, RFC 6052), as WHATWG URL parsing writes them (in hex).
 */
function normalHost(hostname: string): string {
  let h = hostname.toLowerCase().replace(/\.$/, "");
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  const mapped = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const hi = Number.parseInt(mapped[1], 16);
    const lo = Number.parseInt(mapped[2], 16);
    h = [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  return h;
}
