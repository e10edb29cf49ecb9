/**
 * A small fake OpenAI-compatible Chat Completions server on 127.0.0.1 for the runtime's tests. Replies
 * are scripted per model (a queue; each request takes the next reply), else come from `respond`, else
 * are a plain assistant message. Every request is kept (headers, body) for assertions.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeReply {
  /** HTTP status; default 200. */
  status?: number;
  /** A raw error body for non-200 replies. */
  error?: unknown;
  /** Wait this long before answering, ms. */
  delayMs?: number;
  content?: string | null;
  toolCalls?: { name: string; arguments: unknown }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** The `model` field of the reply; default the requested model. */
  model?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface FakeRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

export interface FakeServer {
  /** Base URL with the version path, e.g. http://127.0.0.1:38211/v1. */
  url: string;
  requests: FakeRequest[];
  /** Queues replies for a model. */
  script(model: string, replies: FakeReply[]): void;
  /** Answers requests that have no scripted reply. */
  respond?: (req: FakeRequest, n: number) => FakeReply | undefined;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const queues = new Map<string, FakeReply[]>();
  const requests: FakeRequest[] = [];
  let n = 0;
  const fake: FakeServer = {
    url: "",
    requests,
    script: (model, replies) => queues.set(model, [...(queues.get(model) ?? []), ...replies]),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = raw ? JSON.parse(raw) : {};
      const request = { headers: req.headers, body };
      requests.push(request);
      const seq = ++n;
      const reply = queues.get(body.model)?.shift() ?? fake.respond?.(request, seq) ?? {};
      const send = () => {
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        res.writeHead(status, { "content-type": "application/json", ...reply.headers });
        if (status !== 200) return res.end(JSON.stringify(reply.error ?? { error: { message: `simulated HTTP ${status}`, type: "fake" } }));
        const message = reply.toolCalls
          ? { role: "assistant", content: reply.content ?? null, tool_calls: reply.toolCalls.map((c, i) => ({ id: `call_${seq}_${i}`, type: "function", function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }
          : { role: "assistant", content: reply.content === undefined ? `reply ${seq}` : reply.content };
        res.end(JSON.stringify({ id: `chatcmpl-${seq}`, object: "chat.completion", created: 0, model: reply.model ?? body.model, choices: [{ index: 0, message, finish_reason: reply.toolCalls ? "tool_calls" : "stop" }], usage: { total_tokens: 0, ...(reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 }) } }));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  server.keepAliveTimeout = 1;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
