import { Document, isScalar, parseDocument, Scalar, visit, type ScalarTag, type Tags } from "yaml";

/**
 * PyYAML 6.0's implicit resolvers (yaml/resolver.py, `Resolver.add_implicit_resolver`): a plain scalar
 * matching one of these is not read as a string by the LiteLLM proxy, which loads its config with
 * `yaml.safe_load` (YAML 1.1). `=` (the `value` tag) and `<<` (merge) even make `safe_load` fail.
 */
const PYYAML_IMPLICIT: RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

/** Whether PyYAML (YAML 1.1) would read the plain scalar `text` as something other than a string. */
export function pyyamlMisreads(text: string): boolean {
  return PYYAML_IMPLICIT.some((re) => re.test(text));
}

/**
 * A float as PyYAML's float resolver needs it: with a "." and a signed exponent. JavaScript writes 6e-7,
 * which PyYAML reads as the *string* "6e-7"; this writes 6.0e-7. Integers below 1e21 never reach it.
 */
export function pyyamlFloat(n: number): string {
  const s = JSON.stringify(n);
  if (!/e/.test(s)) return s;
  const [mantissa, exponent] = s.split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${/^[-+]/.test(exponent) ? exponent : `+${exponent}`}`;
}

/** A float tag that prints non-integer numbers with {@link pyyamlFloat}; only used to stringify. */
const pyFloat: ScalarTag = {
  identify: (v) => typeof v === "number" && Number.isFinite(v) && (!Number.isInteger(v) || Math.abs(v) >= 1e21),
  default: true,
  tag: "tag:yaml.org,2002:float",
  // yaml prefers tags with a `test` when several identify a value; this one is never used to parse.
  test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$/,
  resolve: (s) => parseFloat(s),
  stringify: (node) => pyyamlFloat(Number((node as Scalar).value)),
};

/**
 * YAML text that PyYAML (YAML 1.1, `yaml.safe_load`) and `yaml` in 1.1 mode read back as `value`: emitted
 * by the `yaml` package with `version: "1.1"` (which quotes what its 1.1 schema would misread), plus double
 * quotes for every string {@link pyyamlMisreads} flags and PyYAML-readable floats. No line folding.
 * `header` lines become a leading comment. Throws on values YAML cannot hold (functions, symbols).
 */
export function stringifyYaml11(value: unknown, header: string[] = []): string {
  const doc = new Document(value, { version: "1.1", customTags: (tags: Tags) => [pyFloat, ...tags] });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && pyyamlMisreads(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        if (node.value === "<<") node.tag = "tag:yaml.org,2002:str"; // else the 1.1 merge tag claims it and prints it plain
      }
    },
  });
  if (header.length) doc.commentBefore = header.map((l) => ` ${l}`).join("\n");
  return doc.toString({ lineWidth: 0, directives: false });
}

/**
 * Plain scalars of a YAML text that PyYAML would type differently from `yaml` in 1.1 mode (a string PyYAML
 * reads as a bool, number, date or null, or a non-string PyYAML reads as a string, such as `6e-7`), by
 * their source text. Explicitly tagged scalars are left alone. Empty when the two readers agree.
 */
export function pyyamlDivergences(text: string): string[] {
  const out: string[] = [];
  visit(parseDocument(text, { version: "1.1" }), {
    Scalar(_key, node) {
      if (node.type !== Scalar.PLAIN || node.tag !== undefined || node.source === undefined) return;
      if ((typeof node.value === "string") === pyyamlMisreads(node.source)) out.push(node.source);
    },
  });
  return out;
}
