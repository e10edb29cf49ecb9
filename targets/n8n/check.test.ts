import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { OutputFile } from "../../src/emit/target.js";
import { emitTarget, fixtureBrain } from "../../test/helpers.js";
import { checkWorkflows } from "./check.js";
import n8n from "./index.js";
import { fetchDescriptions } from "./test-setup.js";

type Node = { name: string; type: string; typeVersion: number; parameters: Record<string, any>; credentials?: Record<string, unknown> };
type Workflow = { nodes: Node[]; connections: Record<string, Record<string, { node: string; type: string; index: number }[][]>>; [k: string]: unknown };

let files: OutputFile[];
beforeAll(async () => {
  fetchDescriptions();
  files = (await emitTarget(n8n, fixtureBrain("n8n-conformance"))).files;
}, 300_000);

/** check() messages after `mutate` changed the assistant workflow (a copy). */
async function checkWith(mutate: (wf: Workflow) => void, dir?: string): Promise<string[]> {
  const changed = files.map((f) => {
    if (f.path !== "assistant.json") return f;
    const wf = JSON.parse(f.contents) as Workflow;
    mutate(wf);
    return { path: f.path, contents: JSON.stringify(wf) };
  });
  return (await checkWorkflows(changed, dir)).map((d) => `${d.severity} ${d.code} ${d.message}`);
}
const node = (wf: Workflow, name: string) => wf.nodes.find((n) => n.name === name)!;

describe("n8n check()", () => {
  it("accepts what the target emits", async () => {
    expect(await checkWith(() => {})).toEqual([]);
  });

  it("rejects an unknown node type", async () => {
    expect(await checkWith((wf) => void (node(wf, "calculator").type = "@n8n/n8n-nodes-langchain.toolAbacus"))).toEqual([
      'error BRN510 n8n/assistant.json: node "calculator": unknown node type "@n8n/n8n-nodes-langchain.toolAbacus" (n8n 2.41.1)',
    ]);
  });

  it("rejects an unknown typeVersion and lists the available ones", async () => {
    expect(await checkWith((wf) => void (node(wf, "Assistant").typeVersion = 9))).toEqual([
      'error BRN510 n8n/assistant.json: node "Assistant": @n8n/n8n-nodes-langchain.agent has no typeVersion 9 (available: 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2, 2.1, 2.2, 3, 3.1)',
    ]);
  });

  it("rejects a missing required parameter (n8n's own parameter check)", async () => {
    const messages = await checkWith((wf) => void delete node(wf, "lookup").parameters.url);
    expect(messages).toEqual(['error BRN510 n8n/assistant.json: node "lookup": parameter url: Parameter "URL" is required.']);
  });

  it("rejects an option value the node does not offer, and keys n8n would drop", async () => {
    const messages = await checkWith((wf) => {
      node(wf, "lookup").parameters.method = "FETCH";
      node(wf, "Chat memory").parameters.sessionTTL = 5;
      node(wf, "Assistant").parameters.options.temperature = 0.2;
    });
    expect(messages).toEqual([
      'error BRN510 n8n/assistant.json: node "Assistant": parameter options.temperature is unknown to @n8n/n8n-nodes-langchain.agent 3.1',
      'error BRN510 n8n/assistant.json: node "Chat memory": parameter sessionTTL is unknown to @n8n/n8n-nodes-langchain.memoryBufferWindow 1.4',
      'error BRN510 n8n/assistant.json: node "lookup": parameter method: value "FETCH" is not one of ["DELETE","GET","HEAD","OPTIONS","PATCH","POST","PUT","COPY","COPY","MKCOL","MKCOL","MOVE","MOVE","PROPFIND","PROPFIND","REPORT","REPORT"]',
    ].sort());
  });

  it("rejects a connection of the wrong type (a tool wired as a chat model)", async () => {
    const messages = await checkWith((wf) => {
      wf.connections["calculator"] = { ai_languageModel: [[{ node: "Assistant", type: "ai_languageModel", index: 0 }]] };
    });
    expect(messages).toEqual([
      'error BRN510 n8n/assistant.json: connection "calculator" → "Assistant": "calculator" has 0 ai_languageModel output(s), not 1',
      'error BRN510 n8n/assistant.json: node "Assistant": input "Chat Model" (ai_languageModel#0) takes at most 1 connection(s), has 2',
    ]);
  });

  it("rejects a connection to an input index that does not exist", async () => {
    const messages = await checkWith((wf) => void (wf.connections["Chat memory"].ai_memory[0][0].index = 1));
    expect(messages).toEqual([
      'error BRN510 n8n/assistant.json: connection "Chat memory" → "Assistant": "Assistant" has 1 ai_memory input(s), so index 1 does not exist',
    ]);
  });

  it("rejects an AI Agent without a chat model", async () => {
    const messages = await checkWith((wf) => {
      for (const name of Object.keys(wf.connections)) if (wf.connections[name].ai_languageModel) delete wf.connections[name];
      wf.nodes = wf.nodes.filter((n) => !n.type.endsWith("lmChatOpenAi"));
    });
    expect(messages).toContain('error BRN510 n8n/assistant.json: node "Assistant": required input "Chat Model" (ai_languageModel#0) is not connected');
  });

  it("rejects needsFallback without a fallback model", async () => {
    const messages = await checkWith((wf) => void (node(wf, "Assistant").parameters.needsFallback = true));
    expect(messages).toEqual(['error BRN510 n8n/assistant.json: node "Assistant": required input "Fallback Model" (ai_languageModel#1) is not connected']);
  });

  it("rejects a fallback model without needsFallback (its input does not exist)", async () => {
    const messages = await checkWith((wf) => {
      const model = wf.nodes.find((n) => n.type.endsWith("lmChatOpenAi"))!;
      wf.nodes.push({ ...model, id: "00000000-0000-5000-8000-000000000001", name: "fallback model: backup-model" } as Node);
      wf.connections["fallback model: backup-model"] = { ai_languageModel: [[{ node: "Assistant", type: "ai_languageModel", index: 1 }]] };
    });
    expect(messages).toEqual([
      'error BRN510 n8n/assistant.json: connection "fallback model: backup-model" → "Assistant": "Assistant" has 1 ai_languageModel input(s), so index 1 does not exist',
    ]);
  });

  it("checks a workflow text once per process, and still reports it every time and at every path", async () => {
    const broken = (wf: Workflow) => void delete node(wf, "lookup").parameters.url;
    const message = (path: string) => `error BRN510 n8n/${path}: node "lookup": parameter url: Parameter "URL" is required.`;
    expect(await checkWith(broken)).toEqual([message("assistant.json")]);
    expect(await checkWith(broken)).toEqual([message("assistant.json")]);
    // The same text under another name (another environment's copy): one check, two reports.
    const assistant = files.find((f) => f.path === "assistant.json")!;
    const wf = JSON.parse(assistant.contents) as Workflow;
    broken(wf);
    const copy = { path: "assistant.json", contents: JSON.stringify(wf) };
    const twice = [...files.filter((f) => f.path !== "assistant.json"), copy, { ...copy, path: "copy.json" }];
    expect((await checkWorkflows(twice)).map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([message("assistant.json"), message("copy.json")]);
  });

  it("rejects broken structure without needing n8n: duplicate names, unknown targets, missing credentials", async () => {
    const messages = await checkWith((wf) => {
      wf.nodes.push({ ...node(wf, "calculator") });
      wf.connections["Called by workflow"].main[0].push({ node: "Ghost", type: "main", index: 0 });
      node(wf, "lookup").credentials = { httpHeaderAuth: { id: "x", name: "Nobody" } };
    });
    expect(messages.sort()).toEqual([
      'error BRN510 n8n/assistant.json: connection from "Called by workflow" to unknown node "Ghost"',
      'error BRN510 n8n/assistant.json: duplicate node name "calculator"',
      'error BRN510 n8n/assistant.json: node "calculator": duplicate node id ' + JSON.parse(files.find((f) => f.path === "assistant.json")!.contents).nodes.find((n: Node & { id: string }) => n.name === "calculator").id,
      'error BRN510 n8n/assistant.json: node "lookup": credential httpHeaderAuth "Nobody" is not in credentials.json',
    ]);
  });

  it("without cached node descriptions: one BRN700 info, and the structural checks still run", async () => {
    const empty = mkdtempSync(join(tmpdir(), "brainc-n8n-nodes-"));
    try {
      expect(await checkWith(() => {}, empty)).toEqual([expect.stringMatching(/^info BRN700 n8n: the node descriptions of n8n 2\.41\.1 are not cached/)]);
      expect(await checkWith((wf) => void (wf.connections["Called by workflow"].main[0][0].node = "Ghost"), empty)).toEqual([
        'error BRN510 n8n/assistant.json: connection from "Called by workflow" to unknown node "Ghost"',
        expect.stringMatching(/^info BRN700 /),
      ]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("n8n check() of credentials.json", () => {
  it("rejects unknown credential types and fields", async () => {
    const changed = files.map((f) => {
      if (f.path !== "credentials.json") return f;
      const list = JSON.parse(f.contents) as { name: string; type: string; data: Record<string, unknown> }[];
      list.find((c) => c.name === "n8n-conformance lookup")!.data.token = "x";
      list.find((c) => c.name === "LiteLLM proxy")!.type = "openAiApiX";
      return { path: f.path, contents: JSON.stringify(list) };
    });
    const messages = (await checkWorkflows(changed)).map((d) => d.message);
    expect(messages).toContain('n8n/credentials.json: credential "n8n-conformance lookup": httpHeaderAuth has no field "token"');
    expect(messages).toContain('n8n/credentials.json: credential "LiteLLM proxy": unknown credential type "openAiApiX" (n8n 2.41.1)');
  });
});
