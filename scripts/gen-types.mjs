// Regenerates src/types/ from schemas/ (run after editing a schema; `npm run gen:types`).
import { writeFileSync } from "node:fs";
import { generateTypes } from "../dist/src/schema-tools/gen-types.js";
import { packagePath } from "../dist/src/package-root.js";

for (const [name, contents] of Object.entries(await generateTypes())) writeFileSync(packagePath(`src/types/${name}`), contents);
