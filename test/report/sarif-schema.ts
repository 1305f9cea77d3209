// A validator for the official SARIF 2.1.0 schema (test/fixtures/sarif-2.1.0.schema.json, taken
// from the copy @datadog/datadog-ci-plugin-sarif bundles), with string formats checked.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8')) as object;
// strict: false because the schema uses keywords (e.g. "deprecated") Ajv's strict mode rejects.
const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: its function is the default export or sits under it, by loader.
const withFormats = addFormats as unknown as { default?: (a: Ajv) => void } & ((a: Ajv) => void);
(withFormats.default ?? withFormats)(ajv);

export const validateSarif: ValidateFunction = ajv.compile(schema);
