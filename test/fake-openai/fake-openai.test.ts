import { describe, expect, it } from "vitest";
import { start } from "./index.mjs";

describe("fake OpenAI server", () => {
  it("answers, calls each offered tool once, fails the configured models with 500 and logs every request", async () => {
    const fake = await start({ failModels: ["primary"] });
    try {
      const post = (body: object) => fetch(`${fake.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const failed = await post({ model: "primary", messages: [{ role: "user", content: "hi" }] });
      expect(failed.status).toBe(500);
      const tools = [{ type: "function", function: { name: "lookup", parameters: { properties: { q: { type: "string" } } } } }];
      const call = (await (await post({ model: "backup", messages: [{ role: "system", content: "sys" }, { role: "user", content: "hi" }], tools })).json()) as any;
      expect(call.choices[0].message.tool_calls[0].function).toEqual({ name: "lookup", arguments: '{"q":"brain"}' });
      const answer = (await (await post({ model: "backup", messages: [{ role: "user", content: "hi" }, { role: "tool", content: "42" }], tools })).json()) as any;
      expect(answer.choices[0].message.content).toBe('FAKE(backup) reply to "hi"; tools said: 42');
      expect(fake.log.map((e) => [e.model, e.failed])).toEqual([["primary", true], ["backup", false], ["backup", false]]);
      expect(fake.log[1].system).toBe("sys");
    } finally {
      await fake.close();
    }
  });
});
