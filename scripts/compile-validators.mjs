// Writes dist/validators.cjs: ajv standalone code for every schema in schemas/ plus the draft-07
// meta-schema, so that `brainc validate` starts without compiling schemas (run by `npm run build`).
import { writeFileSync } from "node:fs";
import standaloneCode from "ajv/dist/standalone/index.js";
import { compileValidators, PRECOMPILED } from "../dist/src/validate/ajv.js";
import { packagePath } from "../dist/src/package-root.js";

const { ajv, ids } = await compileValidators({ code: { source: true } });
const code = (standaloneCode.default ?? standaloneCode)(ajv, ids);
writeFileSync(packagePath(PRECOMPILED), code);
