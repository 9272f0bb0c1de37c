/** Validators for the official schemas in ../shared/schemas (present in CI, absent in a fresh clone). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { sharedPath } from './shared.ts';

const require = createRequire(import.meta.url);

/** Adaptive Card 1.5 schema (draft-06): root `id` renamed to `$id`; Teams' `msteams` must be stripped. */
export function adaptiveCardSchemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(sharedPath('schemas/adaptive-card-1.5.schema.json'), 'utf8'));
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats.default(ajv);
  return ajv.compile(schema);
}

export function slackManifestValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(sharedPath('schemas/slack-manifest.schema.1.0.0.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
