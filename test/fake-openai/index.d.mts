/** One request the fake server received (see index.mjs). */
export interface FakeOpenAiLogEntry {
  kind: "chat.completions" | "responses" | "models" | "unhandled";
  model?: string;
  /** Whether the server answered 500 (a model in failModels, or named fail*). */
  failed?: boolean;
  stream?: boolean;
  toolNames?: string[];
  roles?: string[];
  /** The system message (role system, or developer as LangChain sends it to reasoning models), in full. */
  system?: string;
  /** GET /models: the query string, the Authorization header and the X-* headers (tools call it too). */
  query?: string;
  authorization?: string | null;
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

/**
 * Starts the fake server. `port` defaults to 0 (a free port); models in `failModels` (and any named fail*)
 * answer HTTP 500; `logFile` also appends each log entry as a JSON line.
 */
export function start(options?: { port?: number; failModels?: string[]; logFile?: string }): Promise<FakeOpenAi>;
