// A fake OpenAI-compatible chat server for offline tests of runtimes that call an LLM (n8n, OpenClaw, the
// supervisor): it listens on 127.0.0.1 only and records every request.
//
// Adapted from shared/reference/n8n/fixtures/fake-openai.mjs (brainc research notes, verified against n8n
// 2.41.1): same replies, made a reusable module with an in-memory log and configurable failing models.
//
// Routes: GET /v1/models; POST /v1/chat/completions (with offered tools it calls each tool once, in turn,
// with the arguments of argsFor, then answers; SSE when `stream: true`); POST /v1/responses (OpenAI
// Responses API, one text answer); any method under /tool/ or /v1/tool/ (an HTTP tool's request: recorded as
// received, answered 200 with a small JSON object).
// A model in `failModels` (or matching /^fail/) answers 500, as a provider outage would.
import http from "node:http";
import { appendFileSync } from "node:fs";

/** The text the fake model passes for every string argument: it needs percent-encoding in a URL path or query. */
export const FAKE_STRING_ARG = "brain ü/a?b&c#d%";

/**
 * The arguments the fake model passes when it calls a tool (an OpenAI `tools` entry, or its `function`):
 * a calculator gets `{ input: "6*7" }`; otherwise every property of the parameters schema is passed:
 * numbers and integers 42 (an integer: n8n's $fromAI offers an integer property as a number), booleans true,
 * anything else `stringArg`.
 * @param {{ function?: { name: string, parameters?: object }, name?: string, parameters?: object }} tool
 * @param {string} [stringArg] the value of string (and untyped) arguments; default {@link FAKE_STRING_ARG}
 * @returns {Record<string, unknown>}
 */
export function argsFor(tool, stringArg = FAKE_STRING_ARG) {
  const fn = tool.function ?? tool;
  if (/calc/i.test(fn.name)) return { input: "6*7" };
  const out = {};
  for (const [k, schema] of Object.entries(fn.parameters?.properties ?? {})) {
    out[k] = schema?.type === "integer" || schema?.type === "number" ? 42 : schema?.type === "boolean" ? true : stringArg;
  }
  return out;
}

/**
 * Starts the server.
 * @param {{ port?: number, failModels?: string[], logFile?: string, stringArg?: string }} [options]
 *   port: TCP port on 127.0.0.1 (default 0: a free one); failModels: model names that answer HTTP 500;
 *   logFile: also append each log entry there as one JSON line; stringArg: what the fake model passes for
 *   string arguments (default {@link FAKE_STRING_ARG}).
 * @returns {Promise<{ url: string, port: number, log: object[], close: () => Promise<void> }>}
 *   url: the base URL including /v1; log: one entry per request, in arrival order.
 */
export async function start(options = {}) {
  const failModels = new Set(options.failModels ?? []);
  const log = [];
  let seq = 0;
  const record = (entry) => {
    log.push(entry);
    if (options.logFile) appendFileSync(options.logFile, JSON.stringify(entry) + "\n");
  };
  const fails = (model) => failModels.has(model) || /^fail/.test(String(model));

  function chatCompletion(body, res) {
    const model = body.model;
    const msgs = body.messages ?? [];
    const tools = body.tools ?? [];
    const toolMsgs = msgs.filter((m) => m.role === "tool");
    // LangChain sends the system prompt as role "developer" to OpenAI reasoning models (gpt-5*, o*).
    const system = msgs.find((m) => m.role === "system" || m.role === "developer")?.content;
    const entry = {
      kind: "chat.completions", model, stream: !!body.stream, failed: fails(model),
      toolNames: tools.map((t) => t.function?.name), roles: msgs.map((m) => m.role),
      system: typeof system === "string" ? system : JSON.stringify(system),
      user: msgs.filter((m) => m.role === "user").map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))),
      temperature: body.temperature, max_tokens: body.max_tokens ?? body.max_completion_tokens,
    };
    if (fails(model)) {
      record(entry);
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `simulated outage for ${model}`, type: "server_error" } }));
      return;
    }
    const id = `chatcmpl-fake-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    let message;
    let finish = "stop";
    if (tools.length > 0 && toolMsgs.length < tools.length) {
      const tool = tools[toolMsgs.length];
      const args = argsFor(tool, options.stringArg);
      message = { role: "assistant", content: null, tool_calls: [{ id: `call_${seq}`, type: "function", function: { name: tool.function.name, arguments: JSON.stringify(args) } }] };
      finish = "tool_calls";
      entry.toolCall = { name: tool.function.name, arguments: args };
    } else {
      const toolOut = toolMsgs.map((m) => String(m.content)).join(" | ");
      const lastUser = [...msgs].reverse().find((m) => m.role === "user")?.content;
      message = { role: "assistant", content: `FAKE(${model}) reply to "${typeof lastUser === "string" ? lastUser : JSON.stringify(lastUser)}"; tools said: ${toolOut || "none"}` };
    }
    record(entry);
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const base = { id, object: "chat.completion.chunk", created, model };
      const delta = message.tool_calls
        ? { role: "assistant", content: null, tool_calls: message.tool_calls.map((tc, index) => ({ index, ...tc })) }
        : { role: "assistant", content: message.content };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }], usage })}\n\n`);
      res.write("data: [DONE]\n\n");
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id, object: "chat.completion", created, model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage }));
  }

  function responsesApi(body, res) {
    record({ kind: "responses", model: body.model, stream: !!body.stream, failed: fails(body.model) });
    if (fails(body.model)) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `simulated outage for ${body.model}`, type: "server_error" } }));
      return;
    }
    const text = `FAKE-RESPONSES(${body.model})`;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      id: `resp_fake_${++seq}`, object: "response", created_at: Math.floor(Date.now() / 1000), status: "completed", model: body.model,
      output: [{ type: "message", id: `msg_${seq}`, status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }],
      output_text: text, usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
    }));
  }

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        /* not JSON: treated as an empty body */
      }
      const path = (req.url ?? "").replace(/\?.*$/, "");
      // What a tool sent, as received: method, raw URL (path and query as sent), all headers, raw body text.
      const request = { method: req.method, url: req.url ?? "", headers: { ...req.headers }, body: raw };
      if (/^(?:\/v1)?\/tool(?:\/|$)/.test(path)) {
        record({ kind: "tool", ...request });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, method: req.method, path }));
        return;
      }
      if (req.method === "GET" && path.endsWith("/models")) {
        record({ kind: "models", ...request, query: (req.url ?? "").includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "", authorization: req.headers.authorization ?? null });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "fake-model", object: "model", owned_by: "fake" }] }));
        return;
      }
      if (req.method === "POST" && path.endsWith("/chat/completions")) return chatCompletion(body, res);
      if (req.method === "POST" && path.endsWith("/responses")) return responsesApi(body, res);
      record({ kind: "unhandled", ...request, path });
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const port = server.address().port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
