/** One request the fake server received (see index.mjs). */
export interface FakeOpenAiLogEntry {
  kind: "chat.completions" | "responses" | "models" | "tool" | "unhandled";
  model?: string;
  /** Whether the server answered 500 (a model in failModels, or named fail*). */
  failed?: boolean;
  stream?: boolean;
  toolNames?: string[];
  roles?: string[];
  /** The system message (role system, or developer as LangChain sends it to reasoning models), in full. */
  system?: string;
  /** chat.completions: the tool the fake model called in its answer, with the arguments it passed ({@link argsFor}). */
  toolCall?: { name: string; arguments: Record<string, unknown> };
  /** GET /models: the query string and the Authorization header (tools call it too); unhandled: the path. */
  query?: string;
  authorization?: string | null;
  path?: string;
  /** tool (any method under /tool/ or /v1/tool/), GET /models and unhandled: the request as received. */
  method?: string;
  /** The raw request target: path and query exactly as sent (percent-encoding kept). */
  url?: string;
  /** Every request header, names lower-cased (Node's IncomingMessage.headers). */
  headers?: Record<string, string | string[] | undefined>;
  /** The raw request body text ("" when none). */
  body?: string;
  /** The user messages. */
  user?: string[];
  [key: string]: unknown;
}

/** A running fake OpenAI-compatible server on 127.0.0.1. */
export interface FakeOpenAi {
  /** Base URL including /v1, e.g. http://127.0.0.1:41234/v1. */
  url: string;
  port: number;
  /** One entry per request, in arrival order. */
  log: FakeOpenAiLogEntry[];
  close(): Promise<void>;
}

/** The text the fake model passes for every string argument; it needs percent-encoding in a URL path or query. */
export const FAKE_STRING_ARG: string;

/**
 * The arguments the fake model passes when it calls a tool (an OpenAI `tools` entry, or its `function`): a
 * calculator (name matching /calc/i) gets `{ input: "6*7" }`; otherwise every property of the parameters
 * schema: numbers and integers 42 (n8n's $fromAI offers integers as numbers), booleans true, anything else
 * `stringArg` (default {@link FAKE_STRING_ARG}).
 */
export function argsFor(tool: { function?: { name: string; parameters?: object }; name?: string; parameters?: object }, stringArg?: string): Record<string, unknown>;

/**
 * Starts the fake server. `port` defaults to 0 (a free port); models in `failModels` (and any named fail*)
 * answer HTTP 500; `logFile` also appends each log entry as a JSON line; `stringArg` is what the fake
 * model passes for string arguments (default {@link FAKE_STRING_ARG}).
 */
export function start(options?: { port?: number; failModels?: string[]; logFile?: string; stringArg?: string }): Promise<FakeOpenAi>;
