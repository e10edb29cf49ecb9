import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { tempDir } from "./helpers.js";
import { transpileRuntime } from "./transpile.js";

let server: FakeServer;
let dir: string;
const temp = tempDir();

beforeAll(async () => {
  server = await startFakeServer();
  const source = readFileSync(join(repoRoot, "examples/supervised-agent.ts"), "utf8").replace('from "brainc/runtime"', 'from "./runtime/index.js"');
  expect(source).toContain("./runtime/index.js");
  dir = transpileRuntime({ "supervised-agent.ts": source });
});
afterAll(async () => {
  await server.close();
  temp.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

it("examples/supervised-agent.ts runs a real loop against the fake server, guarded and recorded", async () => {
  server.respond = (req) => {
    if (req.body.model === undefined) return { content: "healthy" }; // the http-check target itself
    const toolResults = (req.body.messages as { role: string }[]).filter((m) => m.role === "tool").length;
    if (toolResults === 0) return { toolCalls: [{ name: "http-check", arguments: { url: `${server.url}/healthz` } }, { name: "http-check", arguments: { url: "http://169.254.169.254/latest" } }] };
    if (toolResults === 2) return { toolCalls: [{ name: "slack-alert", arguments: { channel: "#ops-alerts", severity: "info", text: "All endpoints up." } }] };
    return { content: "All checks done." };
  };
  const store = join(temp.dir, "runs");
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, "supervised-agent.js"), "--store", store, "--job", "example-1"], {
    cwd: repoRoot,
    env: { ...process.env, LITELLM_BASE_URL: server.url, LITELLM_API_KEY: "sk-fake" },
  });
  expect(stdout).toContain("started job example-1 (agent uptime-monitor, run 1)");
  expect(stdout).toContain("[slack #ops-alerts] [info] All endpoints up.");
  expect(stdout).toContain("All checks done.");
  expect(stdout).toContain("job example-1: succeeded");
  const chats = server.requests.filter((r) => r.body.model !== undefined);
  expect(chats.map((r) => r.headers["x-job-id"])).toEqual(["example-1", "example-1", "example-1"]);
  const show = await runCli(["runs", "show", "example-1", "--store", store], temp.dir);
  expect(show.stdout).toContain("guard http-check: allow");
  expect(show.stdout).toContain("guard http-check: deny [tools.network.deny]");
  expect(show.stdout).toContain("tool call 2 slack-alert: ok");
  expect(show.stdout).toContain("job ended: succeeded");
  expect(show.stdout).toMatch(/checkpoint after step 1, tool call 1/);
});
