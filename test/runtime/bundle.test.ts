import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BundleError, loadBundle, resolveEnv, Supervisor, type Bundle } from "../../src/runtime/index.js";
import { repoRoot } from "../helpers.js";
import { tempDir } from "./helpers.js";

const committed = join(repoRoot, "generated/supervisor/bundle.json");

describe("loadBundle", () => {
  it("accepts the committed generated/supervisor/bundle.json", () => {
    const bundle: Bundle = loadBundle(committed);
    expect(bundle.bundleVersion).toBe(1);
    for (const agent of Object.values(bundle.agents)) {
      expect(agent.routes[agent.task].chain.length).toBeGreaterThan(0);
      for (const tool of agent.tools) expect(bundle.tools[tool].input).toBeTypeOf("object");
    }
  });

  it("accepts every fallback.on class that routing.yaml accepts", () => {
    const routing = JSON.parse(readFileSync(join(repoRoot, "schemas/routing.schema.json"), "utf8"));
    const allowed: string[] = routing.properties.fallback.properties.on.items.enum;
    const bundle = JSON.parse(JSON.stringify(loadBundle(committed)));
    bundle.fallback.on = allowed;
    expect(loadBundle(bundle).fallback.on).toEqual(allowed);
  });

  it("rejects a bundle with one line per problem, each with its JSON pointer", () => {
    const bundle = JSON.parse(JSON.stringify(loadBundle(committed)));
    bundle.fallback.on = ["rate_limit", "sunspots"];
    bundle.agents["email-triage"].routes.email_triage.chain[0].contextWindow = "big";
    delete bundle.budgets.onExceeded;
    const err = (() => {
      try {
        loadBundle(bundle);
      } catch (e) {
        return e as BundleError;
      }
    })();
    expect(err).toBeInstanceOf(BundleError);
    expect(err!.problems).toEqual(
      expect.arrayContaining([
        "/fallback/on/1: must be equal to one of the allowed values",
        "/agents/email-triage/routes/email_triage/chain/0/contextWindow: must be integer",
        "/budgets: must have required property 'onExceeded'",
      ]),
    );
  });

  it("rejects dangling tool references and unreadable files", () => {
    const bundle = JSON.parse(JSON.stringify(loadBundle(committed)));
    bundle.agents["uptime-monitor"].tools.push("teleport");
    expect(() => loadBundle(bundle)).toThrow(/\/agents\/uptime-monitor\/tools: unknown tool "teleport"/);
    expect(() => loadBundle("/nonexistent/bundle.json")).toThrow(/cannot read bundle/);
  });

  it("resolves env references", () => {
    const env = { A: "x", B: undefined };
    expect(resolveEnv("plain", env)).toBe("plain");
    expect(resolveEnv({ $env: "A" }, env)).toBe("x");
    // `:-`: the default applies to an unset or empty variable, as in the shell
    expect(resolveEnv({ $env: "EMPTY", default: "d" }, { EMPTY: "" })).toBe("d");
    expect(resolveEnv({ $env: "EMPTY" }, { EMPTY: "" })).toBe("");
    expect(resolveEnv({ $env: "UNSET", default: "" }, {})).toBe("");
    expect(resolveEnv({ $env: "B", default: "d" }, env)).toBe("d");
    expect(resolveEnv({ $env: "B" }, env)).toBeUndefined();
    expect(resolveEnv({ $concat: ["http://", { $env: "A" }, ":4000"] }, env)).toBe("http://x:4000");
  });
});

describe("the committed bundle's policies, enforced", () => {
  it("guards security-log-triage's shell commands as its policy says", async () => {
    const temp = tempDir();
    const sup = await Supervisor.open({ bundle: committed, store: temp.dir, workspace: "/srv/acme/logs" });
    const job = await sup.startJob({ agent: "security-log-triage" });
    expect(await job.guardTool("shell-exec", { command: "zgrep -c 'Failed password' /var/log/auth.log.1.gz" })).toMatchObject({ decision: "deny", rule: "tools.paths.deny" });
    expect(await job.guardTool("shell-exec", { command: "grep -c sshd /var/log/syslog | sort" })).toMatchObject({ decision: "needs-approval", rule: "tools.requireApproval" });
    expect(await job.guardTool("shell-exec", { command: "wget http://x/y" })).toMatchObject({ decision: "deny", rule: "tools.exec.denyPatterns" });
    expect(await job.guardTool("shell-exec", { command: "grep x /var/log/syslog > /tmp/out" })).toMatchObject({ decision: "deny", rule: "tools.exec.denyPatterns" });
    expect(await job.guardTool("read-file", { path: "/srv/acme/logs/nginx/access.log" })).toMatchObject({ decision: "allow" });
    expect(await job.guardTool("gmail-label", { messageId: "1" })).toMatchObject({ decision: "deny" });
    await job.end("cancelled");
    await sup.close();
    temp.cleanup();
  });
});
