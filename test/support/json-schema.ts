// One way to check a document against a JSON Schema (draft 2020-12) in tests.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";

/** Compiles a schema file (path relative to the test/ folder) or object. */
export function compileSchema(schema: string | object): ValidateFunction {
  const document = typeof schema === "string" ? JSON.parse(readFileSync(new URL(`../${schema}`, import.meta.url), "utf8")) : schema;
  // Not strict: the shared schemas' if/then branches refine properties declared one level up, which
  // ajv's strict mode rejects as an authoring style, not an error.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose .default is the plugin.
  formats.default(ajv);
  return ajv.compile(document);
}

/** The report contract, ../shared/report.schema.json as copied into the project. */
export const validateReport = compileSchema("report.schema.json");
