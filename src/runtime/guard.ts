/**
 * Tool guards: whether one tool call may run, from the agent's effective policy and the tool's
 * contract. Checks, in order: the tool exists, `tools.deny`, `tools.allow`, the agent's tool list, the
 * input against the contract's JSON Schema (ajv), exec rules (`denyPatterns` over the normal form of
 * every command, `allowBins`), path rules (`~` is the home directory; paths are resolved against the
 * workspace and through symlinks, and both spellings must pass), network rules (hosts of URLs after
 * WHATWG URL normalisation, so `0xA9FEA9FE` reads as 169.254.169.254). A call that passes needs approval
 * when `tools.requireApproval` names the tool, the contract says `approval: always`, or it says
 * `approval: on-risk` and some part of the call was not positively allowed (no `allowBins`, no path or
 * host allow list covering it).
 */
import { existsSync, realpathSync } from "node:fs";
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
import { analyzeCommand, normalPattern } from "./shell.js";

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
/** Commands whose first operand is a pattern or program, not a file (`grep /x/ f`, `awk '/x/ {…}' f`). */
const PATTERN_FIRST = new Set(["grep", "egrep", "fgrep", "zgrep", "zegrep", "rg", "awk", "gawk", "mawk", "sed", "jq"]);
const GLOB = { dot: true } as const;
const CMD_GLOB = { dot: true, bash: true, noextglob: true, nobrace: true } as const;

const deny = (rule: string, reason: string): GuardResult => ({ decision: "deny", rule, reason });

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
    const paths: string[] = [];
    const urls: string[] = [];
    collect(input, paths, urls);
    if (tool.risk?.includes("exec")) {
      const verdict = this.checkExec(input as Record<string, unknown>, paths, urls, unverified);
      if (verdict) return verdict;
    }
    const template = tool.implementation.http?.url;
    if (typeof template === "string" && !/\{\{/.test(template.split("/").slice(0, 3).join("/"))) urls.push(template);
    for (const p of paths) {
      const verdict = this.checkPath(p, unverified);
      if (verdict) return verdict;
    }
    for (const u of urls) {
      const verdict = this.checkUrl(u, unverified);
      if (verdict) return verdict;
    }

    if (policy.requireApproval?.includes(name)) return { decision: "needs-approval", rule: "tools.requireApproval", reason: `the policy requires approval for "${name}"` };
    if (tool.approval === "always") return { decision: "needs-approval", rule: "tool.approval", reason: `"${name}" always needs approval` };
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

  private checkExec(input: Record<string, unknown>, paths: string[], urls: string[], unverified: string[]): GuardResult | undefined {
    const exec = this.agent.policy.tools?.exec ?? {};
    const line = Object.entries(input).find(([k, v]) => COMMAND_KEY.test(k) && typeof v === "string")?.[1] as string | undefined;
    if (line === undefined) return deny("tools.exec", "an exec tool call without a command cannot be checked");
    const analysis = analyzeCommand(line);
    for (const pattern of exec.denyPatterns ?? []) {
      const normal = normalPattern(pattern);
      const hit = analysis.texts.find((t) => globMatch(t, normal, CMD_GLOB) || globMatch(t, pattern, CMD_GLOB));
      if (hit !== undefined) return deny("tools.exec.denyPatterns", `the command matches the denied pattern "${pattern}" (read as "${hit}")`);
    }
    if (analysis.problems.length) return deny("tools.exec", analysis.problems.join("; "));
    for (const c of analysis.commands) {
      if (exec.allowBins) {
        if (!exec.allowBins.includes(c.name)) return deny("tools.exec.allowBins", `"${c.name}" is not an allowed executable (${exec.allowBins.join(", ")})`);
        if (c.bin.includes("/") && !BIN_DIRS.has(dirname(c.bin))) return deny("tools.exec.allowBins", `"${c.bin}" is not in a system bin directory`);
      } else unverified.push(`runs ${c.name}`);
      const patternAt = PATTERN_FIRST.has(c.name) && !c.args.some((a) => /^-[A-Za-z]*[ef]/.test(a)) ? c.args.findIndex((a) => !a.startsWith("-")) : -1;
      for (const [i, a] of c.args.entries()) {
        if (i === patternAt) continue;
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(a)) urls.push(a);
        else if (/^(\d{1,3}\.){3}\d{1,3}(:\d+)?(\/.*)?$/.test(a)) urls.push(`http://${a}`);
        else if (looksLikePath(a)) paths.push(a);
        else {
          const eq = a.indexOf("=");
          if (a.startsWith("-") && eq > 0 && looksLikePath(a.slice(eq + 1))) paths.push(a.slice(eq + 1));
        }
      }
      for (const r of c.redirects) paths.push(r.target);
    }
    return undefined;
  }

  /** `~` and `~/…` in the agent's home folder. */
  private expandHome(p: string): string {
    return p === "~" ? this.home : p.startsWith("~/") ? join(this.home, p.slice(2)) : p;
  }

  private checkPath(raw: string, unverified: string[]): GuardResult | undefined {
    const rules = this.agent.policy.tools?.paths ?? {};
    const lexical = resolve(this.workspace, this.expandHome(raw));
    const real = realish(lexical);
    const spellings = [...new Set([lexical, real])];
    const globs = (list: string[]) => list.map((g) => this.expandHome(g));
    for (const g of globs(rules.deny ?? [])) {
      const hit = spellings.find((s) => globMatch(s, g, GLOB));
      if (hit) return deny("tools.paths.deny", `the path ${raw} (${hit}) matches the denied pattern "${g}"`);
    }
    if (rules.workspaceOnly && !inside(real, this.realWorkspace)) return deny("tools.paths.workspaceOnly", `the path ${raw} (${real}) is outside the workspace ${this.realWorkspace}`);
    if (rules.allow) {
      const allowed = globs(rules.allow);
      if (!spellings.every((s) => allowed.some((g) => globMatch(s, g, GLOB)))) return deny("tools.paths.allow", `the path ${raw} (${real}) is not under an allowed path (${rules.allow.join(", ")})`);
    } else if (!rules.workspaceOnly) unverified.push(`touches ${raw}`);
    return undefined;
  }

  private checkUrl(raw: string, unverified: string[]): GuardResult | undefined {
    const rules = this.agent.policy.tools?.network ?? {};
    let host: string;
    try {
      host = normalHost(new URL(raw).hostname);
    } catch {
      return deny("tools.network", `cannot read the URL ${raw}`);
    }
    const hit = (rules.deny ?? []).find((g) => globMatch(host, g.toLowerCase(), GLOB));
    if (hit) return deny("tools.network.deny", `the host ${host} matches the denied host "${hit}"`);
    if (rules.allow) {
      if (!rules.allow.some((g) => globMatch(host, g.toLowerCase(), GLOB))) return deny("tools.network.allow", `the host ${host} is not an allowed host (${rules.allow.join(", ")})`);
    } else unverified.push(`reaches ${host}`);
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

/** Collects path-like values (by key name) and URL values from a tool's input. */
function collect(value: unknown, paths: string[], urls: string[], key = ""): void {
  if (typeof value === "string") {
    if (/^(https?|wss?|ftp):\/\//i.test(value)) urls.push(value);
    else if (PATH_KEY.test(key)) paths.push(value);
  } else if (Array.isArray(value)) for (const v of value) collect(v, paths, urls, key);
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) collect(v, paths, urls, k);
}

function looksLikePath(a: string): boolean {
  return a.startsWith("/") || a.startsWith("~") || a.startsWith("./") || a.startsWith("../") || a === "." || a === ".." || a.includes("/");
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

function inside(p: string, dir: string): boolean {
  const rel = relative(dir, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** Lower case, no trailing dot, no brackets; an IPv4-mapped IPv6 address reads as its IPv4 address. */
function normalHost(hostname: string): string {
  let h = hostname.toLowerCase().replace(/\.$/, "");
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const hi = Number.parseInt(mapped[1], 16);
    const lo = Number.parseInt(mapped[2], 16);
    h = [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  return h;
}
