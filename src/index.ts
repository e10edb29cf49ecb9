/**
 * brainc as a library: compile a brain in memory, run targets, and the types targets are written
 * against. The CLI (`brainc`) is a thin layer over these.
 */
export { compileBrain, compileEnv, loadAndValidate, environments, type CompileResult, type LoadResult } from "./compile.js";
export type { Diagnostic, Position, Range, Severity } from "./diagnostics/diagnostic.js";
export { sortDiagnostics } from "./diagnostics/diagnostic.js";
export { CODES } from "./diagnostics/codes.js";
export { formatDiagnostics, FORMATS, type Format } from "./diagnostics/format.js";
export type { Agent, Brain, EffectivePolicy, Model, Namespace, Provider, Route, Template, Tool } from "./link/model.js";
export type { EmitContext, OutputFile, Target } from "./emit/target.js";
export { runTargets } from "./emit/run.js";
export { envSegments, singleEnvRef, envNames, type EnvSegment } from "./emit/env-refs.js";
export { canonicalJson, sortKeys } from "./emit/canonical.js";
export { run } from "./cli/main.js";
