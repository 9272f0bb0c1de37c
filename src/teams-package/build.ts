/**
 * The Teams app package: the filled manifest plus the two icons, validated offline and zipped with all
 * three files at the root of the archive, as Teams expects for upload.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { APP_PACKAGE_DIR, COLOR_ICON, OUTLINE_ICON, pngSize } from './icons.ts';
import { type ManifestInput, renderManifest, type TeamsManifest, TeamsPackageError } from './manifest.ts';
import { validateManifest } from './validate.ts';

export { TeamsPackageError, teamsAppIdFor } from './manifest.ts';
export { MANIFEST_VERSION, validateManifest } from './validate.ts';

export const DEFAULT_OUT_FILE = 'build/her2bot-teams.zip';
/** A fixed timestamp for the zip entries, so the same inputs give the same archive. */
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

export interface TeamsPackageOptions extends ManifestInput {
  /** Where to write the zip; default build/her2bot-teams.zip (relative to the working directory). */
  outFile?: string;
  /** Where the template's icons are; default appPackage/. */
  iconDir?: string;
}

export interface TeamsPackage {
  outFile: string;
  manifest: TeamsManifest;
  zip: Uint8Array;
}

/** Builds the manifest and the zip in memory; throws a TeamsPackageError naming every problem. */
export function createTeamsPackage(options: ManifestInput & { iconDir?: string }): {
  manifest: TeamsManifest;
  zip: Uint8Array;
} {
  const manifest = renderManifest(options);
  validateManifest(manifest);
  const iconDir = options.iconDir ?? APP_PACKAGE_DIR;
  const files: Record<string, Uint8Array> = {
    'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
  };
  const problems: string[] = [];
  for (const [name, size] of [
    [manifest.icons.color, COLOR_ICON.size],
    [manifest.icons.outline, OUTLINE_ICON.size],
  ] as const) {
    const path = resolve(iconDir, name);
    if (!existsSync(path)) {
      problems.push(`${name}: not found in ${iconDir} (run: tsx src/teams-package/icons.ts)`);
      continue;
    }
    const png = readFileSync(path);
    const actual = pngSize(png);
    if (actual?.width !== size || actual.height !== size) {
      problems.push(
        `${name}: must be a ${size}×${size} PNG, got ${actual ? `${actual.width}×${actual.height}` : 'no PNG'}`,
      );
    }
    files[name] = png;
  }
  if (problems.length > 0) throw new TeamsPackageError('The Teams app icons are not usable:', problems);
  return { manifest, zip: zipSync(files, { level: 9, mtime: ZIP_MTIME }) };
}

/** Builds, validates and writes the Teams app package; returns where it went and what it holds. */
export function buildTeamsPackage(options: TeamsPackageOptions): TeamsPackage {
  const { manifest, zip } = createTeamsPackage(options);
  const outFile = resolve(options.outFile ?? DEFAULT_OUT_FILE);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, zip);
  return { outFile, manifest, zip };
}
