import type { Diagnostic, Range, Severity } from "./diagnostic.js";

/** What docs/diagnostics.md says about one code; the table below is the single source of that page. */
export interface CodeInfo {
  /** Short kebab-case rule name, as in promptly / ESLint. */
  name: string;
  severity: Severity;
  /** What the diagnostic means. */
  summary: string;
  /** How to fix it. */
  fix: string;
}

/**
 * Every diagnostic code brainc emits. Ranges: BRN0xx load, BRN1xx schema, BRN2xx references and
 * templates, BRN3xx secrets, budgets and semantics, BRN4xx overlays, BRN5xx build and targets,
 * BRN9xx internal. Codes are stable: never reuse a retired one.
 */
export const CODES = {
  BRN001: { name: "unknown-place", severity: "error", summary: "A file sits where no brain file kind lives (for example `agent/x.yaml` instead of `agents/x.yaml`), so it would be silently ignored.", fix: "Move the file to its kind's place (see the format's path table), or delete it. Dotfiles, README.md and brainc's output folders (with .brainc-manifest.json) are skipped." },
  BRN002: { name: "yaml-syntax", severity: "error", summary: "The file is not valid YAML 1.2, or its value cannot be built: a `<<` merge of something other than a mapping, an alias before its anchor, a value nested more than 100 levels deep, a number JSON cannot keep (not finite, or an integer beyond ±2^53), a string with half of a UTF-16 surrogate pair (a lone \\uD800–\\uDFFF escape), a tag yaml does not know (`!Ref`) or one that makes something other than JSON data (`!!timestamp`, `!!binary`, `!!set`, `!!omap`).", fix: "Fix the syntax at the position shown." },
  BRN003: { name: "duplicate-key", severity: "error", summary: "A mapping has the same key twice; YAML parsers disagree on which one wins.", fix: "Remove or rename one of the keys." },
  BRN004: { name: "alias-bomb", severity: "error", summary: "YAML aliases expand to too many nodes (an alias bomb, or a very repetitive file).", fix: "Use fewer nested aliases; write the values out." },
  BRN005: { name: "file-too-large", severity: "error", summary: "The file is larger than 1 MiB; brain files are hand-written and never that large.", fix: "Split the file or move data out of the brain." },
  BRN006: { name: "invalid-utf8", severity: "error", summary: "The file is not valid UTF-8.", fix: "Re-save the file as UTF-8." },
  BRN007: { name: "no-brain-root", severity: "error", summary: "The brain directory has no brain.yaml (or does not exist).", fix: "Point --brain at a directory that holds brain.yaml, or run `brainc init`." },
  BRN008: { name: "bad-frontmatter", severity: "error", summary: "A prompt's YAML frontmatter is not closed by a `---` line.", fix: "Close the frontmatter with a line holding only `---`." },
  BRN009: { name: "not-a-mapping", severity: "error", summary: "The file's top level is not a YAML mapping (an empty file, a list or a scalar).", fix: "Write the file's keys as a mapping, as the format describes." },
  BRN010: { name: "bad-file-id", severity: "error", summary: "A file name does not make a valid id (ids match `^[a-z][a-z0-9-]{0,62}$`).", fix: "Rename the file in lower-case kebab-case." },
  BRN011: { name: "duplicate-id", severity: "error", summary: "Two files define the same id (for example `x.yaml` and `x.yml`, or two partials with one name).", fix: "Keep one file per id." },
  BRN012: { name: "missing-file", severity: "error", summary: "A brain file that every brain needs is missing (models.yaml or routing.yaml).", fix: "Create the file; `brainc init` writes a small valid brain to start from." },
  BRN013: { name: "unreadable-file", severity: "error", summary: "A file or folder of the brain cannot be read (no permission; a link to a folder; a FIFO, socket or device, which is not a regular file).", fix: "Fix the permissions, or remove what is not a regular file." },

  BRN101: { name: "unknown-key", severity: "error", summary: "A key that the format does not define; unknown keys are errors so that typos never pass silently.", fix: "Remove the key or fix its spelling (see the hint)." },
  BRN102: { name: "missing-key", severity: "error", summary: "A required key is missing.", fix: "Add the key." },
  BRN103: { name: "bad-value", severity: "error", summary: "The value is not one of the allowed values.", fix: "Use one of the values listed in the message." },
  BRN104: { name: "bad-format", severity: "error", summary: "The value does not have the required form (an id, a duration such as `5m`, a URI, …).", fix: "Write the value in the form the message names." },
  BRN105: { name: "out-of-range", severity: "error", summary: "A number or list is outside its allowed range.", fix: "Use a value within the range." },
  BRN106: { name: "wrong-type", severity: "error", summary: "The value has the wrong type (for example a string where a number belongs).", fix: "Write a value of the type named in the message." },
  BRN107: { name: "exactly-one-of", severity: "error", summary: "Exactly one of several keys must be given (for example a tool's implementation is http, mcp or builtin).", fix: "Keep exactly one of the keys named." },
  BRN108: { name: "bad-json-schema", severity: "error", summary: "An embedded JSON Schema (tool input or output, memory record, prompt input) is not a valid draft-07 schema.", fix: "Fix the schema at the position shown." },
  BRN109: { name: "schema-violation", severity: "error", summary: "The value breaks another rule of the file's schema.", fix: "See the message; the schemas in `schemas/` give every rule." },

  BRN201: { name: "unknown-prompt", severity: "error", summary: "An agent names a prompt (or persona) that does not exist under prompts/.", fix: "Create the prompt or fix the name (see the hint)." },
  BRN202: { name: "unknown-partial", severity: "error", summary: "A template uses a partial `{{> name}}` with no `_name.md` file.", fix: "Create `prompts/_name.md` or fix the name." },
  BRN203: { name: "partial-cycle", severity: "error", summary: "Partials include each other in a cycle.", fix: "Break the cycle." },
  BRN204: { name: "unknown-tool", severity: "error", summary: "A tool id that has no contract under tools/.", fix: "Create the tool contract or fix the name." },
  BRN205: { name: "unknown-policy", severity: "error", summary: "A policy id that has no file under policies/.", fix: "Create the policy or fix the name." },
  BRN206: { name: "unknown-memory", severity: "error", summary: "A memory namespace that memory.yaml does not declare.", fix: "Declare the namespace or fix the name." },
  BRN207: { name: "unknown-model", severity: "error", summary: "A model id that models.yaml does not declare.", fix: "Declare the model or fix the name." },
  BRN208: { name: "unknown-provider", severity: "error", summary: "A model names a provider that models.yaml does not declare.", fix: "Declare the provider or fix the name." },
  BRN209: { name: "unknown-tier", severity: "error", summary: "A tier that models.yaml `tiers` does not declare.", fix: "Declare the tier or fix the name." },
  BRN210: { name: "undeclared-task", severity: "error", summary: "A task class is used but not declared under routing.yaml `tasks`.", fix: "Declare the task class with a tier or a model chain." },
  BRN211: { name: "unknown-mcp-server", severity: "error", summary: "A tool names an MCP server that brain.yaml `mcpServers` does not declare.", fix: "Declare the server or fix the name." },
  BRN212: { name: "unknown-agent", severity: "error", summary: "An agent id (in budgets or memory writers) that has no file under agents/.", fix: "Fix the name or remove the entry." },
  BRN213: { name: "pattern-matches-nothing", severity: "error", summary: "A policy's tool name or glob matches no tool contract.", fix: "Fix the name; a pattern that matches nothing usually hides a typo." },
  BRN214: { name: "template-syntax", severity: "error", summary: "A prompt is not a valid Handlebars template.", fix: "Fix the template at the position shown." },
  BRN215: { name: "unknown-variable", severity: "error", summary: "A template uses a variable that is neither in the render context nor declared under `input` (templates are strict).", fix: "Declare the variable in the frontmatter `input:` with a default, guard it with `{{#if}}`, or fix the name." },
  BRN216: { name: "unknown-helper", severity: "error", summary: "A template calls a helper that brainc does not provide.", fix: "Use one of the documented helpers." },
  BRN217: { name: "not-a-writer", severity: "warning", summary: "`writers` on an agent-scoped namespace, or a writer that does not list the namespace.", fix: "Remove the writer or add the namespace to the agent's `memory`." },
  BRN220: { name: "prints-object", severity: "error", summary: "A template prints an object or a list of objects with `{{…}}`, which renders as `[object Object]`.", fix: "Print one of its fields, loop over it with `{{#each}}`, or print it as JSON with `{{json …}}`." },
  BRN221: { name: "prompt-names-missing-tool", severity: "warning", summary: "A rendered prompt names (as `inline code`) a tool of the brain that the agent does not have: the model is told to call a tool it cannot call.", fix: "Add the tool to the agent's `tools` (and its policy's allow list), or take it out of the prompt." },
  BRN219: { name: "tool-denied", severity: "warning", summary: "An agent lists a tool that its effective policy does not allow (or denies); the agent will not get the tool.", fix: "Remove the tool from the agent, or change the policy." },
  BRN218: { name: "unused", severity: "warning", summary: "A prompt, tool, policy or memory namespace that no agent uses.", fix: "Use it or delete it." },

  BRN301: { name: "credential-not-env", severity: "error", summary: "A credential field (apiKey, token, password, masterKey, databaseUrl, an Authorization header …) is not exactly one `${env:NAME}` reference, or a header or query parameter named like a credential's (`X-Api-Token`, `access_token`, `?appid=`) holds a literal.", fix: "Write `${env:NAME}` and put the secret into the environment of the runtime." },
  BRN302: { name: "secret-literal", severity: "error", summary: "A string looks like a credential (an API key, token, private key, long high-entropy string or a URL with a password), an env reference's `:-default` included. Secrets never live in the brain.", fix: "Move the secret into an environment variable and reference it as `${env:NAME}`." },
  BRN303: { name: "bad-env-ref", severity: "error", summary: "A `${...}` reference is malformed (only `${env:NAME}` and `${env:NAME:-default}` exist).", fix: "Write `${env:NAME}` with NAME in [A-Za-z_][A-Za-z0-9_]*." },
  BRN310: { name: "budget-above-global", severity: "error", summary: "An agent or task budget is above the global budget of the same period, so it can never bind.", fix: "Lower it, or raise the global budget." },
  BRN311: { name: "monthly-below-daily", severity: "warning", summary: "A monthly budget is below the daily budget of the same scope.", fix: "Check the numbers." },
  BRN320: { name: "missing-base-url", severity: "error", summary: "An `openai-compatible` provider has no `baseUrl`.", fix: "Add the provider's base URL." },
  BRN321: { name: "bad-cron", severity: "error", summary: "A schedule's cron expression is not a valid 5-field cron expression, or it names a date that never comes (31 February).", fix: "Write minute hour day-of-month month day-of-week, for example `0 9 * * 1-5`, for days that exist." },
  BRN322: { name: "bad-timezone", severity: "error", summary: "A schedule's timezone is not an IANA time zone name.", fix: "Use a name such as `Europe/Berlin` or `UTC`." },
  BRN323: { name: "mcp-transport", severity: "error", summary: "An MCP server's keys do not fit its transport (url with command keys, or command with url keys).", fix: "Use `url` (+ transport, headers) for remote servers, `command` (+ args, env, cwd) for local ones." },
  BRN324: { name: "unguarded-exec", severity: "warning", summary: "An agent can call a tool with `exec` risk but its effective policy sets no exec guards (`tools.exec.allowBins` or `denyPatterns`).", fix: "Add exec guards to one of the agent's policies." },
  BRN325: { name: "bad-input-default", severity: "error", summary: "A prompt input's `default` (the value the template is rendered with) does not satisfy its own schema. Checked by `brainc build`, where prompts are rendered.", fix: "Fix the default or the schema." },
  BRN326: { name: "placeholder-unknown", severity: "error", summary: "An http tool's url, header, query or body template uses a `{{name}}` that is not a property of the tool's input schema.", fix: "Add the property to `input` or fix the placeholder." },
  BRN327: { name: "allowbins-runs-code", severity: "warning", summary: "An agent that can run commands has, in its effective `tools.exec.allowBins`, a program that runs code of its own (a shell, an interpreter, `awk`, `sed`, `git`, `ssh`, `tar` …), which no exec guard reads: allowing it allows any command.", fix: "Leave the program out of `allowBins` (text tools such as `cut`, `sort`, `uniq`, `wc` and `grep` run no code), or keep every call behind `tools.requireApproval`." },
  BRN328: { name: "allowbins-prints-env", severity: "warning", summary: "An agent that can run commands has, in its effective `tools.exec.allowBins`, a program that prints the environment its commands run in (`env`, `printenv`, `jq` with `env` or `$ENV`). Runtimes keep secrets there (OpenClaw runs commands with its gateway's environment), so the agent could read API keys and tokens into the model's context.", fix: "Leave the program out of `allowBins`, or keep every call behind `tools.requireApproval` so that a person sees each command first." },

  BRN401: { name: "overlay-new-entity", severity: "warning", summary: "An overlay creates an agent, tool or policy that the base brain does not have (overlays usually patch; creating is allowed but often a typo).", fix: "Check the id against the base brain." },
  BRN402: { name: "overlay-unknown", severity: "error", summary: "`--env` names an overlay that has no file under overlays/.", fix: "Create overlays/<env>.yaml or fix the name." },
  BRN403: { name: "overlay-reserved-name", severity: "error", summary: "An overlay has a reserved name: `default` (the base brain's environment, `--env default`) or the name of a target (a built-in, a brain.yaml `targets.<name>`, or a target the build runs). An environment's output folder generated/<env>/ would collide with that target's generated/<target>/.", fix: "Rename the overlay file (or the third-party target)." },
  BRN404: { name: "overlay-target-module", severity: "error", summary: "An overlay adds, changes or removes a brain.yaml `targets.<name>.module`. A build runs the same targets in every environment; an overlay can change a target's options, not which module it is.", fix: "Declare the module in brain.yaml (and set per-environment options in the overlay)." },

  BRN501: { name: "unknown-target", severity: "error", summary: "`--target` names no built-in target and is not a module path.", fix: "Use one of the built-in targets, or a path such as ./my-target.js." },
  BRN502: { name: "bad-target-module", severity: "error", summary: "A target module could not be loaded, does not export a Target as its default export, or its target's name is not an id (`^[a-z][a-z0-9-]{0,62}$`), is a built-in target's name, differs from its brain.yaml `targets.<name>` key, or is another target's name in the same build.", fix: "Export `default { name, optionsSchema, emit }` from the module, with a name of its own that is an id." },
  BRN503: { name: "bad-target-options", severity: "error", summary: "brain.yaml `targets.<name>` breaks a rule of the target's options: a third-party target's optionsSchema, or a rule of a built-in target beyond its schema (a built-in target's schema errors are BRN1xx at the value).", fix: "Fix the option at the position shown." },
  BRN504: { name: "bad-output-path", severity: "error", summary: "A target emitted a path that is absolute, escapes its output folder, is emitted twice, or would land on one of brainc's own files (.brainc-manifest.json, .brainc-journal.json, .brainc-staging).", fix: "This is a bug in the target; report it to its authors." },
  BRN505: { name: "target-failed", severity: "error", summary: "A target's emit or check threw an error.", fix: "This is a bug in the target; report it with the message." },
  BRN506: { name: "write-failed", severity: "error", summary: "brainc could not write the output directory (permissions, disk full, a file where a folder belongs), or found an interrupted build's journal there that brainc did not write (one naming paths outside the folder), which it does not carry out. Nothing was half-written.", fix: "Fix the file system problem named in the message (or delete the journal) and build again." },
  BRN507: { name: "output-drift", severity: "error", summary: "With --check: the output on disk differs from what the brain builds (a file to add, change or remove).", fix: "Run `brainc build` and commit the result." },
  BRN508: { name: "foreign-file", severity: "error", summary: "A file in the output directory that brainc did not write would have to be overwritten; brainc never overwrites or deletes files it did not write, so the build writes nothing.", fix: "Move the file away, or delete it if it is an old copy of brainc's output." },
  BRN509: { name: "target-limit", severity: "info", summary: "A target cannot express part of the brain natively; brainc says what it did instead (for example wrote it into the agent's instructions) and which target enforces it.", fix: "Nothing, or run the named target beside this one." },
  BRN510: { name: "target-output-invalid", severity: "error", summary: "A target's own validator rejected the output (the target's check()).", fix: "See the message; it names the rule of the runtime's format that failed." },
  BRN511: { name: "runtime-rejects", severity: "error", summary: "The target's runtime would reject part of this output when it loads or activates it (for example a cron expression n8n's scheduler cannot parse, or two n8n webhooks on one path), although the brain is valid.", fix: "Change the brain as the message says, or do not build this target." },
  BRN512: { name: "runtime-differs", severity: "warning", summary: "The target's runtime would run part of the brain differently from what the brain says, and nothing in the output makes up for it (for example two agents bound to one channel account: one of them never gets a message).", fix: "Change the brain as the message says, or accept the difference (warnings fail the build only with --strict)." },
  BRN513: { name: "reserved-name", severity: "error", summary: "An id of the brain names a file that a target writes for itself (an n8n agent called `credentials` or `error-handler`, whose workflow would be written over credentials.json or error-handler.json).", fix: "Rename the agent (its file and every reference to it)." },
  BRN514: { name: "unauthenticated-webhook", severity: "warning", summary: "Agents have webhook channels and targets.n8n.webhookAuth is not set: n8n's Webhook triggers would run the agents for anyone who can reach n8n's /webhook/ URLs (and spend their budgets).", fix: "Set targets.n8n.webhookAuth to a header token (`{ token: \"${env:N8N_WEBHOOK_TOKEN}\" }`), or to `none` when a proxy in front of n8n authenticates the callers." },
  BRN700: { name: "n8n-nodes-not-cached", severity: "info", summary: "The n8n target's check() found no cached n8n node descriptions, so it checked only the workflows' structure, not their node types, parameters and connections.", fix: "Run `npm run n8n:nodes` (it fetches n8n 2.41.1's node descriptions and n8n-workflow from the npm registry into .cache/n8n-nodes/) and build again." },

  BRN900: { name: "internal-error", severity: "error", summary: "brainc failed unexpectedly. This is a bug.", fix: "Please report it to the brainc maintainers with `brainc --version`, the command line, the message and, if you can, a reduced brain that shows it." },
  BRN901: { name: "usage", severity: "error", summary: "The command line is wrong (an unknown flag, a missing or empty argument, incompatible flags, an --out that is the brain folder or one of its places).", fix: "See `brainc --help`." },
} as const satisfies Record<string, CodeInfo>;

/** A diagnostic code of brainc ("BRN101"). */
export type Code = keyof typeof CODES;

/** Builds a diagnostic with the code's default severity. */
export function diagnostic(
  code: Code,
  message: string,
  where: { file?: string; range?: Range; hint?: string; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: where.severity ?? CODES[code].severity, message };
  if (where.file !== undefined) d.file = where.file;
  if (where.range !== undefined) d.range = where.range;
  if (where.hint !== undefined) d.hint = where.hint;
  return d;
}

/** Turns an unexpected exception into the BRN900 diagnostic (the stack only with BRAINC_DEBUG=1). */
export function internalError(e: unknown): Diagnostic {
  const err = e as Error;
  if (process.env.BRAINC_DEBUG) process.stderr.write(`${err?.stack ?? String(e)}\n`);
  return diagnostic("BRN900", `internal error: ${err?.message ?? String(e)}`, { hint: "this is a bug in brainc; please report it with `brainc --version`, the command line and, if you can, a reduced brain (set BRAINC_DEBUG=1 for the stack trace)" });
}
