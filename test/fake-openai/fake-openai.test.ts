import { describe, expect, it } from "vitest";
import { argsFor, FAKE_STRING_ARG, start } from "./index.mjs";

describe("fake OpenAI server", () => {
  it("answers, calls each offered tool once, fails the configured models with 500 and logs every request", async () => {
    const fake = await start({ failModels: ["primary"] });
    try {
      const post = (body: object) => fetch(`${fake.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const failed = await post({ model: "primary", messages: [{ role: "user", content: "hi" }] });
      expect(failed.status).toBe(500);
      const tools = [{ type: "function", function: { name: "lookup", parameters: { properties: { q: { type: "string" } } } } }];
      const call = (await (await post({ model: "backup", messages: [{ role: "system", content: "sys" }, { role: "user", content: "hi" }], tools })).json()) as any;
      expect(call.choices[0].message.tool_calls[0].function).toEqual({ name: "lookup", arguments: JSON.stringify({ q: FAKE_STRING_ARG }) });
      const answer = (await (await post({ model: "backup", messages: [{ role: "user", content: "hi" }, { role: "tool", content: "42" }], tools })).json()) as any;
      expect(answer.choices[0].message.content).toBe('FAKE(backup) reply to "hi"; tools said: 42');
      expect(fake.log.map((e) => [e.model, e.failed])).toEqual([["primary", true], ["backup", false], ["backup", false]]);
      expect(fake.log[1].system).toBe("sys");
      expect(fake.log[1].toolCall).toEqual({ name: "lookup", arguments: { q: FAKE_STRING_ARG } });
      expect(fake.log[2].toolCall).toBeUndefined();
    } finally {
      await fake.close();
    }
  });

  it("passes every property typed, with a string that needs percent-encoding (or the string it is given); a calculator gets an expression", () => {
    expect(FAKE_STRING_ARG).toBe("brain ü/a?b&c#d%");
    const parameters = { properties: { s: { type: "string" }, i: { type: "integer" }, n: { type: "number" }, b: { type: "boolean" }, e: { enum: ["x"] } } };
    expect(argsFor({ function: { name: "item-update", parameters } })).toEqual({ s: FAKE_STRING_ARG, i: 42, n: 42, b: true, e: FAKE_STRING_ARG });
    expect(argsFor({ name: "calculator", parameters })).toEqual({ input: "6*7" });
    expect(argsFor({ name: "item-update", parameters }, "..")).toEqual({ s: "..", i: 42, n: 42, b: true, e: ".." });
  });

  it("records an HTTP tool's request under /tool/ as received (any method, raw URL, headers, body) and answers 200 JSON", async () => {
    const fake = await start();
    try {
      const url = `${fake.url}/tool/items/a%2Fb?tag=x%20y&v=2`;
      const res = await fetch(url, { method: "PATCH", headers: { "content-type": "application/json", "x-api-key": "k" }, body: '{"a":1}' });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      await res.json();
      const get = await fetch(`http://127.0.0.1:${fake.port}/tool/ping`);
      expect(get.status).toBe(200);
      expect(fake.log).toHaveLength(2);
      expect(fake.log[0]).toMatchObject({ kind: "tool", method: "PATCH", url: "/v1/tool/items/a%2Fb?tag=x%20y&v=2", body: '{"a":1}' });
      expect(fake.log[0].headers).toMatchObject({ "content-type": "application/json", "x-api-key": "k" });
      expect(fake.log[1]).toMatchObject({ kind: "tool", method: "GET", url: "/tool/ping", body: "" });
      const models = await fetch(`${fake.url}/models?q=1`, { headers: { authorization: "Bearer t", "x-brain": "b" } });
      expect(models.status).toBe(200);
      expect(fake.log[2]).toMatchObject({ kind: "models", method: "GET", url: "/v1/models?q=1", query: "q=1", authorization: "Bearer t" });
      expect(fake.log[2].headers).toMatchObject({ "x-brain": "b" });
    } finally {
      await fake.close();
    }
  });
});
