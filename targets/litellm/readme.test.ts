import { describe, expect, it } from "vitest";
import { emitTarget, fixtureBrain } from "../../test/helpers.js";
import { envExampleNames } from "./env.js";
import litellm from "./index.js";

describe("README.md", () => {
  it("names the variables of .env.example and lists what the proxy does not enforce: the target's infos, in the order reported", async () => {
    const { files, diagnostics } = await emitTarget(litellm, fixtureBrain("litellm-budgets"));
    const text = (path: string) => files.find((f) => f.path === path)!.contents;
    const readme = text("README.md");
    const names = [...envExampleNames(text(".env.example"))];
    expect(names.length).toBeGreaterThan(0);
    expect(readme).toContain(`in the proxy's environment: ${names.map((n) => `\`${n}\``).join(", ")}.`);
    const notes = diagnostics.filter((d) => d.code === "BRN509").map((d) => `- ${d.message}`);
    expect(notes.length).toBeGreaterThan(0);
    expect(readme.slice(readme.indexOf("## What the proxy does not enforce")).split("\n").filter((l) => l.startsWith("- "))).toEqual(notes);
  });
});
