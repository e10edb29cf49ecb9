import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChatError, Supervisor } from "../../src/runtime/index.js";
import type { LlmCall } from "../../src/runtime/events.js";
import type { EnvValue } from "../../src/runtime/bundle.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { testBundle, tempDir } from "./helpers.js";

let server: FakeServer;
let temp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(() => server.close());
afterEach(() => temp?.cleanup());

async function open(bundle = testBundle(), extra: Partial<Parameters<typeof Supervisor.open>[0]> = {}) {
  temp = tempDir();
  server.requests.length = 0;
  return Supervisor.open({ bundle, store: temp.dir, env: { LITELLM_BASE_URL: server.url, LITELLM_API_KEY: "sk-test", FAKE_BASE_URL: server.url }, requestTimeoutMs: 10_000, ...extra });
}

const calls = (sup: Supervisor, job: string) => sup.store.jobEvents(job).filter((e): e is LlmCall => e.type === "llm.call");

describe("job.chat fallback", () => {
  it("retries the primary on 429 with backoff, then answers", async () => {
    const sup = await open();
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 429 }]);
    const r = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r).toMatchObject({ model: "m-mid", attempts: 2, fallback: false, fallbackReason: "rate_limit" });
    expect(calls(sup, job.id).map((c) => [c.model, c.attempt, c.ok, c.errorKind ?? null, c.fallbackReason ?? null])).toEqual([
      ["m-mid", 1, false, "rate_limit", null],
      ["m-mid", 2, true, null, "rate_limit"],
    ]);
    await sup.close();
  });

  it("moves to the next model after retriesPerModel failures (500)", async () => {
    const sup = await open();
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 500 }, { status: 502 }]);
    const r = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r).toMatchObject({ model: "m-small", attempts: 3, fallback: true, fallbackReason: "server_error" });
    expect(server.requests.map((q) => q.body.model)).toEqual(["m-mid", "m-mid", "m-small"]);
    await sup.close();
  });

  it("falls back on timeouts", async () => {
    const sup = await open(testBundle(), { requestTimeoutMs: 1000 });
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ delayMs: 4000 }, { delayMs: 4000 }]);
    const r = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r.model).toBe("m-small");
    expect(calls(sup, job.id).map((c) => c.errorKind ?? "ok")).toEqual(["timeout", "timeout", "ok"]);
    await sup.close();
  });

  it("honours retriesPerModel: 0 and fails with ChatError when the chain is exhausted", async () => {
    const sup = await open(testBundle({ retries: 0 }));
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 503 }]);
    server.script("m-small", [{ status: 429 }]);
    const err = await job.chat({ messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect(err).toMatchObject({ kind: "rate_limit", attempts: 2 });
    expect(server.requests.map((q) => q.body.model)).toEqual(["m-mid", "m-small"]);
    await sup.close();
  });

  it("does not fall back on error classes outside fallback.on", async () => {
    const sup = await open(testBundle({ fallbackOn: ["rate_limit"] }));
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 500 }]);
    await expect(job.chat({ messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ kind: "server_error", attempts: 1 });
    server.script("m-mid", [{ status: 401 }]);
    await expect(job.chat({ messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ kind: "auth" });
    await sup.close();
  });

  it("falls back on auth and content-filter errors when fallback.on lists them (all the classes routing.yaml allows)", async () => {
    const sup = await open(testBundle({ fallbackOn: ["auth", "content_filter"], retries: 0 }));
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 401 }]);
    expect(await job.chat({ messages: [{ role: "user", content: "hi" }] })).toMatchObject({ model: "m-small", fallback: true, fallbackReason: "auth" });
    server.script("m-mid", [{ status: 400, error: { error: { message: "The response was filtered", type: "invalid_request_error", code: "content_filter" } } }]);
    expect(await job.chat({ messages: [{ role: "user", content: "hi" }] })).toMatchObject({ model: "m-small", fallback: true, fallbackReason: "content_filter" });
    server.script("m-mid", [{ status: 400, error: { error: { message: "litellm.ContentPolicyViolationError: blocked" } } }]);
    expect(await job.chat({ messages: [{ role: "user", content: "hi" }] })).toMatchObject({ fallbackReason: "content_filter" });
    await sup.close();
  });

  it("escalates context-window errors to a model with a larger window, skipping smaller ones", async () => {
    const sup = await open();
    const job = await sup.startJob({ agent: "worker", task: "long" });
    server.script("m-small", [{ status: 400, error: { error: { message: "This model's maximum context length is 8000 tokens", code: "context_length_exceeded" } } }]);
    const r = await job.chat({ messages: [{ role: "user", content: "x".repeat(100) }] });
    expect(r).toMatchObject({ model: "m-large", fallback: true, fallbackReason: "context_window", attempts: 2 });
    expect(server.requests.map((q) => q.body.model)).toEqual(["m-small", "m-large"]);
    await sup.close();
  });

  it("escalates outside the chain when no chain model has a larger window", async () => {
    const sup = await open();
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 400, error: { error: { message: "prompt is too long: 9000 tokens > 8000 maximum" } } }]);
    const r = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r.model).toBe("m-large");
    await sup.close();
  });

  it("carries the job id on every request and records tokens, cost and latency", async () => {
    const sup = await open();
    const job = await sup.startJob({ agent: "worker", jobId: "job-corr-1" });
    server.script("m-mid", [{ status: 429 }, { usage: { prompt_tokens: 1000, completion_tokens: 500 } }]);
    await job.chat({ messages: [{ role: "user", content: "hi" }], temperature: 0, metadata: { mine: 1 } });
    for (const q of server.requests) {
      expect(q.headers["x-job-id"]).toBe("job-corr-1");
      expect(q.headers.authorization).toBe("Bearer sk-test");
      expect(q.body.litellm_session_id).toBe("job-corr-1");
      expect(q.body.metadata.tags).toEqual(["job:job-corr-1", "task:work", "agent:worker"]);
      expect(q.body.metadata.mine).toBe(1);
      expect(q.body.temperature).toBe(0);
    }
    const ok = calls(sup, job.id).find((c) => c.ok)!;
    expect(ok).toMatchObject({ inputTokens: 1000, outputTokens: 500, endpoint: "gateway", tier: "mid" });
    expect(ok.costUsd).toBeCloseTo((1000 * 2 + 500 * 4) / 1e6, 12);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    await sup.close();
  });

  it("uses the bundle's correlation contract and gatewayModel, and reads the gateway's response headers", async () => {
    const bundle = testBundle();
    bundle.correlation = { version: 1, sessionField: "session_x", tagsField: "metadata.labels", spendLogsMetadataField: "metadata.spend", tagPrefixes: { job: "brainc-job:" } };
    bundle.agents.worker.routes.work = { ...bundle.agents.worker.routes.work, gatewayModel: "brain-mid" };
    const sup = await open(bundle);
    const job = await sup.startJob({ agent: "worker", jobId: "j2" });
    server.script("brain-mid", [{ model: "openai/m-small-name", headers: { "x-litellm-model-id": "brain-mid.m-small", "x-litellm-attempted-fallbacks": "1" } }, { model: "m-mid-name" }, { model: "unknown-model", headers: { "x-litellm-response-cost": "0.5" } }]);
    const r = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    const q = server.requests[0];
    expect(q.headers["x-job-id"]).toBe("j2");
    expect(q.body).toMatchObject({ model: "brain-mid", session_x: "j2", metadata: { labels: ["brainc-job:j2", "task:work", "agent:worker"], spend: { job_id: "j2", agent: "worker", task: "work", step: 1, run: 1 } } });
    expect(r).toMatchObject({ model: "brain-mid", fallback: true, fallbackReason: "gateway_fallback" });
    expect(calls(sup, job.id)[0]).toMatchObject({ model: "brain-mid", servedModel: "m-small", fallback: true });
    expect(r.costUsd).toBeCloseTo((100 * 1 + 20 * 2) / 1e6, 12);
    const r2 = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r2).toMatchObject({ fallback: false });
    expect(r2.costUsd).toBeCloseTo((100 * 2 + 20 * 4) / 1e6, 12);
    expect((await job.chat({ messages: [{ role: "user", content: "hi" }] })).costUsd).toBe(0.5);
    await sup.close();
  });

  it("calls providers directly without LiteLLM body fields in direct mode", async () => {
    const sup = await open(testBundle(), { endpoint: "direct", env: { FAKE_BASE_URL: server.url, FAKE_KEY: "k-direct" } });
    const job = await sup.startJob({ agent: "worker", jobId: "j3" });
    await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(server.requests[0].body.model).toBe("m-mid-name");
    expect(server.requests[0].body.litellm_session_id).toBeUndefined();
    expect(server.requests[0].headers).toMatchObject({ "x-job-id": "j3", authorization: "Bearer k-direct" });
    await sup.close();
  });
});

/** A fetch that records each request and answers m-mid-name with `midBody` (status 200), others with a valid completion. */
function recordingFetch(midBody = "", status = 200) {
  const sent: { url: string; headers: Record<string, string>; model: string }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string);
    sent.push({ url, headers: init.headers as Record<string, string>, model: body.model });
    if (body.model === "m-mid-name" && (midBody || status !== 200)) return new Response(midBody, { status });
    return new Response(JSON.stringify({ model: body.model, choices: [{ message: { role: "assistant", content: "ok" } }], usage: { prompt_tokens: 10, completion_tokens: 1 } }), { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

/** testBundle whose provider `fake` speaks `api: openai` with the given baseUrl and apiKey (undefined: none). */
function openaiBundle(baseUrl: EnvValue | undefined, apiKey: EnvValue | undefined) {
  const bundle = testBundle();
  bundle.providers.fake = { id: "fake", api: "openai", ...(baseUrl !== undefined ? { baseUrl } : {}), ...(apiKey !== undefined ? { apiKey } : {}) };
  for (const m of Object.values(bundle.models)) m.api = "openai";
  return bundle;
}

describe("direct endpoints and environment variables", () => {
  it("an unset baseUrl variable is an error naming it; nothing is sent (never to the provider's default host with the key)", async () => {
    for (const env of [{ CORP_KEY: "sk-corp-secret" }, { CORP_KEY: "sk-corp-secret", CORP_PROXY_URL: "" }]) {
      const { fetch, sent } = recordingFetch();
      const sup = await open(openaiBundle({ $env: "CORP_PROXY_URL" }, { $env: "CORP_KEY" }), { endpoint: "direct", env, fetch });
      const job = await sup.startJob({ agent: "worker" });
      const err = await job.chat({ messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
      expect(err).toBeInstanceOf(ChatError);
      expect(err).toMatchObject({ kind: "auth", attempts: 0 });
      expect(err.message).toBe("the base URL of model m-mid (provider fake) is not set (environment variable CORP_PROXY_URL)");
      expect(sent).toEqual([]);
      // The step number was not used up.
      expect(job.totals.steps).toBe(0);
      await sup.close();
    }
  });

  it("uses the provider's default host only when the bundle gives no baseUrl at all", async () => {
    const { fetch, sent } = recordingFetch();
    const sup = await open(openaiBundle(undefined, { $env: "CORP_KEY" }), { endpoint: "direct", env: { CORP_KEY: "sk-corp-secret" }, fetch });
    await (await sup.startJob({ agent: "worker" })).chat({ messages: [{ role: "user", content: "hi" }] });
    expect(sent.map((s) => [s.url, s.headers.authorization])).toEqual([["https://api.openai.com/v1/chat/completions", "Bearer sk-corp-secret"]]);
    await sup.close();
  });

  it("an unset apiKey variable is an error naming it; a provider without apiKey is called without a key", async () => {
    for (const env of [{ FAKE_BASE_URL: "http://fake.test/v1" }, { FAKE_BASE_URL: "http://fake.test/v1", FAKE_KEY: "" }]) {
      const { fetch, sent } = recordingFetch("", 401);
      const sup = await open(testBundle(), { endpoint: "direct", env, fetch });
      const err = await (await sup.startJob({ agent: "worker" })).chat({ messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
      expect(err).toBeInstanceOf(ChatError);
      expect(err.message).toBe("the API key of provider fake (model m-mid) is not set (environment variable FAKE_KEY)");
      expect(sent).toEqual([]);
      await sup.close();
    }
    const keyless = testBundle();
    delete keyless.providers.fake.apiKey;
    const { fetch, sent } = recordingFetch();
    const sup = await open(keyless, { endpoint: "direct", env: { FAKE_BASE_URL: "http://local.test/v1" }, fetch });
    await expect((await sup.startJob({ agent: "worker" })).chat({ messages: [{ role: "user", content: "hi" }] })).resolves.toMatchObject({ model: "m-mid" });
    expect(sent[0].url).toBe("http://local.test/v1/chat/completions");
    expect(sent[0].headers.authorization).toBeUndefined();
    await sup.close();
  });

  it("a fallback model whose key is unset is skipped (recorded, nothing sent); the primary still answers", async () => {
    // Task `long`: m-small, then m-mid (provider `other`, key OTHER_KEY unset), then m-large.
    const bundle = structuredClone(testBundle({ retries: 0 }));
    bundle.providers.other = { id: "other", api: "openai-compatible", baseUrl: { $env: "FAKE_BASE_URL" }, apiKey: { $env: "OTHER_KEY" } };
    bundle.models["m-mid"].provider = "other";
    const sup = await open(bundle, { endpoint: "direct", env: { FAKE_BASE_URL: server.url, FAKE_KEY: "sk-fake" } });
    const job = await sup.startJob({ agent: "worker", task: "long" });
    await expect(job.chat({ messages: [{ role: "user", content: "hi" }] })).resolves.toMatchObject({ model: "m-small", attempts: 1 });
    server.script("m-small-name", [{ status: 500 }]);
    await expect(job.chat({ messages: [{ role: "user", content: "hi" }] })).resolves.toMatchObject({ model: "m-large", attempts: 3, fallback: true, fallbackReason: "auth" });
    expect(server.requests.map((q) => q.body.model)).toEqual(["m-small-name", "m-small-name", "m-large-name"]);
    expect(calls(sup, job.id).slice(1).map((c) => [c.model, c.attempt, c.ok, c.errorKind ?? null, c.error ?? null])).toEqual([
      ["m-small", 1, false, "server_error", expect.any(String)],
      ["m-mid", 2, false, "auth", "the API key of provider other (model m-mid) is not set (environment variable OTHER_KEY)"],
      ["m-large", 3, true, null, null],
    ]);
    // The primary's own variable is still checked before anything is sent.
    const job2 = await sup.startJob({ agent: "worker", task: "work" });
    await expect(job2.chat({ messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ kind: "auth", attempts: 0 });
    await sup.close();
  });

  it("through the gateway, a 401 after an unset key names the variable (in the error and the ledger)", async () => {
    const sup = await open(testBundle({ retries: 0 }), { env: { LITELLM_BASE_URL: server.url } });
    const job = await sup.startJob({ agent: "worker" });
    server.script("m-mid", [{ status: 401 }]);
    const err = await job.chat({ messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err).toMatchObject({ kind: "auth", status: 401 });
    expect(err.message).toMatch(/^no API key was sent \(environment variable LITELLM_API_KEY is not set\): HTTP 401 from /);
    expect(calls(sup, job.id)[0].error).toMatch(/^no API key was sent \(environment variable LITELLM_API_KEY is not set\)/);
    expect(server.requests[0].headers.authorization).toBeUndefined();
    // Without a 401 the gateway answers as before (a proxy without a master key).
    await expect(job.chat({ messages: [{ role: "user", content: "hi" }] })).resolves.toMatchObject({ model: "m-mid" });
    await sup.close();
  });
});

describe("malformed answers", () => {
  const bodies = ["null", "[]", "42", '"text"', "{}", '{"choices":[]}', '{"choices":null}', '{"choices":[null]}', '{"choices":[{}]}', '{"choices":[{"message":"hi"}]}', '{"choices":[{"message":{"role":"assistant","content":"x"}}],"usage":{"prompt_tokens":"12"}}', '{"choices":[{"message":{"role":"assistant","content":"x"}}],"model":7}'];
  it.each(bodies)("a 200 answer %s is a server_error: recorded, and the chain falls back", async (body) => {
    const { fetch } = recordingFetch(body);
    const sup = await open(testBundle(), { endpoint: "direct", env: { FAKE_BASE_URL: "http://fake.test/v1", FAKE_KEY: "k" }, fetch });
    const job = await sup.startJob({ agent: "worker" });
    const r = await job.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r).toMatchObject({ step: 1, model: "m-small", fallback: true, fallbackReason: "server_error", attempts: 3 });
    const recorded = calls(sup, job.id);
    expect(recorded.map((c) => [c.model, c.ok, c.errorKind ?? null])).toEqual([
      ["m-mid", false, "server_error"],
      ["m-mid", false, "server_error"],
      ["m-small", true, null],
    ]);
    expect(recorded[0].error).toContain("malformed chat completion");
    await sup.close();
  });

  it("without server_error in fallback.on, a malformed answer is a ChatError, not a TypeError", async () => {
    const { fetch } = recordingFetch("null");
    const sup = await open(testBundle({ fallbackOn: ["rate_limit"] }), { endpoint: "direct", env: { FAKE_BASE_URL: "http://fake.test/v1", FAKE_KEY: "k" }, fetch });
    const job = await sup.startJob({ agent: "worker" });
    const err = await job.chat({ messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect(err).toMatchObject({ kind: "server_error", attempts: 1 });
    expect(err.message).toContain("the body is null, not an object");
    expect(calls(sup, job.id)).toHaveLength(1);
    await sup.close();
  });

  it("accepts null usage and model (read as absent)", async () => {
    const { fetch } = recordingFetch('{"choices":[{"message":{"role":"assistant","content":"x"}}],"usage":null,"model":null}');
    const sup = await open(testBundle(), { endpoint: "direct", env: { FAKE_BASE_URL: "http://fake.test/v1", FAKE_KEY: "k" }, fetch });
    const r = await (await sup.startJob({ agent: "worker" })).chat({ messages: [{ role: "user", content: "hi" }] });
    expect(r).toMatchObject({ model: "m-mid", inputTokens: 0, outputTokens: 0, costUsd: 0 });
    await sup.close();
  });
});
