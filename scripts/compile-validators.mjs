// Writes dist/validators.cjs and dist/validators-fast.cjs: ajv standalone code for every schema in
// schemas/ plus the draft-07 meta-schema, in both validation modes, so that `brainc validate` starts
// without compiling schemas (run by `npm run build`).
import { writeFileSync } from "node:fs";
import standaloneCode from "ajv/dist/standalone/index.js";
import { AJV_OPTIONS, compileValidators, PRECOMPILED } from "../dist/src/validate/ajv.js";
import { packagePath } from "../dist/src/package-root.js";

for (const mode of Object.keys(AJV_OPTIONS)) {
  const { ajv, ids } = await compileValidators(mode, { code: { source: true } });
  writeFileSync(packagePath(PRECOMPILED[mode]), (standaloneCode.default ?? standaloneCode)(ajv, ids));
}

// OpenClaw's own config schema (2.4 MB) for the openclaw target's check(): ~3 s to compile, ~0.2 s to load.
const { compileSchema, PRECOMPILED_VALIDATOR } = await import("../dist/targets/openclaw/check.js");
const openclaw = await compileSchema({ source: true });
writeFileSync(packagePath(PRECOMPILED_VALIDATOR), (standaloneCode.default ?? standaloneCode)(openclaw.ajv, openclaw.validate));

// The LiteLLM target's two config schemas (strict emitter profile, permissive proxy schema): ~0.15 s to compile.
const litellm = await import("../dist/targets/litellm/validate.js");
const { ajv: litellmAjv, validators: litellmValidators } = await litellm.compileSchemas({ source: true });
const refs = Object.fromEntries(Object.entries(litellmValidators).map(([name, v]) => [name, v.schema.$id]));
writeFileSync(packagePath(litellm.PRECOMPILED_VALIDATORS), (standaloneCode.default ?? standaloneCode)(litellmAjv, refs));
