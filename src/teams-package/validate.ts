/**
 * Offline validation of a Teams manifest against the JSON schema shipped in @microsoft/app-manifest
 * (draft-04). That package's own validateManifest() downloads the schema named in `$schema`, so we load
 * the bundled file and compile it with ajv-draft-04 + ajv-formats instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import Ajv04, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { type TeamsManifest, TeamsPackageError } from './manifest.ts';

/** The manifest version we build: the newest generally available one (see appPackage/manifest.json). */
export const MANIFEST_VERSION = '1.30';

export function schemaUrl(version: string = MANIFEST_VERSION): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
}

/** Path of the bundled schema for a manifest version, e.g. …/json-schemas/teams/v1.30/MicrosoftTeams.schema.json. */
export function schemaPath(version: string = MANIFEST_VERSION): string {
  const pkg = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
  return resolve(dirname(pkg), 'build/json-schemas/teams', `v${version}`, 'MicrosoftTeams.schema.json');
}

const compiled = new Map<string, ValidateFunction>();

function validatorFor(version: string): ValidateFunction {
  const cached = compiled.get(version);
  if (cached) return cached;
  // strict: false because Microsoft's schemas use keywords and formats Ajv's strict mode rejects.
  // Both packages are CommonJS: `.default` is their class and plugin, in the types and at runtime.
  const ajv = new Ajv04.default({ allErrors: true, strict: false, verbose: true, logger: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath(version), 'utf8')));
  compiled.set(version, validate);
  return validate;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** One line per schema error, saying where, what is wrong and, when it helps, what was found. */
export function describeError(e: ErrorObject): string {
  const where = e.instancePath || '(manifest root)';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown property "${String(params.additionalProperty)}"`;
    case 'const':
      return `${where}: must be ${show(params.allowedValue)}, got ${show(e.data)}`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}, got ${show(e.data)}`;
    case 'pattern': {
      const guid = String(params.pattern).startsWith('^[0-9a-fA-F]{8}-');
      return `${where}: ${show(e.data)} is not ${guid ? 'a GUID' : `in the form ${String(params.pattern)}`}`;
    }
    case 'required':
      return `${where}: missing required property "${String(params.missingProperty)}"`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/**
 * Checks a manifest against the bundled schema of `version` and that its `$schema` points at that
 * version; throws a TeamsPackageError listing every problem, one readable line each.
 */
export function validateManifest(
  manifest: unknown,
  version: string = MANIFEST_VERSION,
): asserts manifest is TeamsManifest {
  const validate = validatorFor(version);
  const problems = validate(manifest) ? [] : [...new Set((validate.errors ?? []).map(describeError))];
  const declared = (manifest as { $schema?: unknown } | null)?.$schema;
  if (declared !== undefined && declared !== schemaUrl(version)) {
    problems.push(`/$schema: must be ${show(schemaUrl(version))}, got ${show(declared)}`);
  }
  if (problems.length > 0) {
    throw new TeamsPackageError(`The Teams manifest does not match the v${version} schema:`, problems);
  }
}
