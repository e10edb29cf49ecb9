/**
 * One request to an OpenAI-compatible Chat Completions endpoint (`POST <baseUrl>/chat/completions`,
 * OpenAI API reference, "Create chat completion"; the same shape LiteLLM's proxy and the OpenAI
 * compatibility endpoints of Anthropic and Google accept), with failures classified into the error
 * kinds of routing.yaml `fallback.on`.
 */
import type { LlmErrorKind } from "./events.js";

/** A chat message (OpenAI Chat Completions). */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | null | unknown[];
  name?: string;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
  [key: string]: unknown;
}

/** A tool the model may call (OpenAI function tool). */
export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** A chat completion response (the fields the runtime reads; the rest passes through). */
export interface ChatCompletion {
  id?: string;
  model?: string;
  choices: { index?: number; message: ChatMessage; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
  [key: string]: unknown;
}

/** A failed model call, classified. `status` is the HTTP status when there was one. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

const CONTEXT_WINDOW = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|reduce the length|input is too long|exceeds the (model's )?(maximum|max)/i;
/** A refusal by the provider's content filter: OpenAI/Azure `error.code` `content_filter` or `content_policy_violation`, LiteLLM's ContentPolicyViolationError. */
const CONTENT_FILTER = /content[ _-]?(filter|policy)|ContentPolicyViolation/i;

/**
 * Classifies an HTTP error response by status and body (OpenAI `error.code` `context_length_exceeded`,
 * `content_filter`).
 */
export function classifyHttp(status: number, body: string): LlmErrorKind {
  if (status === 429) return "rate_limit";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500) return "server_error";
  if ((status === 400 || status === 413 || status === 422) && (body.includes("context_length_exceeded") || CONTEXT_WINDOW.test(body))) return "context_window";
  if ((status === 400 || status === 403 || status === 422) && CONTENT_FILTER.test(body)) return "content_filter";
  if (status === 401 || status === 403) return "auth";
  return "bad_request";
}

export interface PostChatOptions {
  /** Base URL including the version path, e.g. http://127.0.0.1:4000/v1. */
  baseUrl: string;
  apiKey?: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Abort the request after this many ms (timeout error kind). */
  timeoutMs: number;
  fetch: typeof fetch;
}

/**
 * Posts one chat completion request.
 * @returns the parsed completion and the response headers.
 * @throws {LlmError} on timeouts, connection failures, HTTP errors and malformed responses.
 */
export async function postChat(o: PostChatOptions): Promise<{ completion: ChatCompletion; headers: Headers }> {
  const url = `${o.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const headers: Record<string, string> = { "content-type": "application/json", ...o.headers };
  if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
  const signal = AbortSignal.timeout(Math.max(1, Math.floor(o.timeoutMs)));
  let res: Response;
  let text: string;
  try {
    res = await o.fetch(url, { method: "POST", headers, body: JSON.stringify(o.body), signal });
    text = await res.text();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === "TimeoutError" || err.name === "AbortError" || signal.aborted) throw new LlmError("timeout", `no response from ${url} within ${o.timeoutMs} ms`);
    throw new LlmError("connection", `cannot reach ${url}: ${err.cause?.code ?? err.message}`);
  }
  if (!res.ok) throw new LlmError(classifyHttp(res.status, text), `HTTP ${res.status} from ${url}: ${text.slice(0, 300)}`, res.status);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LlmError("server_error", `${url} answered with something other than JSON: ${text.slice(0, 120)}`, res.status);
  }
  const problem = malformed(parsed);
  if (problem) throw new LlmError("server_error", `${url} answered with a malformed chat completion (${problem}): ${text.slice(0, 120)}`, res.status);
  return { completion: parsed as ChatCompletion, headers: res.headers };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => v === undefined || v === null || (typeof v === "number" && Number.isFinite(v) && v >= 0);

/**
 * What is wrong with a parsed 200 body that should be a chat completion, or undefined when the fields the
 * runtime reads are well-formed: an object with `choices[0].message` an object, `model` a string when
 * present, and `usage` (when present) an object of non-negative token counts.
 */
function malformed(body: unknown): string | undefined {
  if (!isObject(body)) return `the body is ${body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`}, not an object`;
  if (!Array.isArray(body.choices) || !body.choices.length) return "no choices";
  const first: unknown = body.choices[0];
  if (!isObject(first) || !isObject(first.message)) return "choices[0].message is not an object";
  if (body.model !== undefined && body.model !== null && typeof body.model !== "string") return "model is not a string";
  const usage = body.usage;
  if (usage !== undefined && usage !== null) {
    if (!isObject(usage)) return "usage is not an object";
    if (!isCount(usage.prompt_tokens) || !isCount(usage.completion_tokens)) return "usage holds token counts that are not numbers";
    const details = usage.prompt_tokens_details;
    if (details !== undefined && details !== null && (!isObject(details) || !isCount(details.cached_tokens))) return "usage.prompt_tokens_details.cached_tokens is not a number";
  }
  return undefined;
}
