/**
 * Fills appPackage/manifest.json for one deployment. The file follows Microsoft 365 Agents Toolkit's
 * conventions, so `atk`/`teamsapp` can use it as it is: placeholders are `${{NAME}}` inside JSON strings,
 * named as Microsoft's bot templates name them (TEAMS_APP_ID, BOT_ID, BOT_ENDPOINT, BOT_DOMAIN). The
 * toolkit fills them from env/.env.<env>; `npm run teams:package` fills them from our own settings
 * (MicrosoftAppId, PUBLIC_URL, optionally TEAMS_APP_ID). The template is parsed first and only string
 * values are substituted, so no value can break the JSON.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import { projectPath } from '../util/project-root.ts';

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

export const TEMPLATE_PATH = projectPath('appPackage', 'manifest.json');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{([A-Z_]+)\}\}/g;

/**
 * Namespace for the Teams app id (UUID v5 of the bot's app id). Fixed forever: changing it would give
 * every deployment a new Teams app id, and uploads would create a second app instead of updating.
 */
const TEAMS_APP_ID_NAMESPACE = 'a7d3c1e2-5b8f-4c6a-9e0d-2f4b6c8a1e35';

/** Something the packager cannot build from, with every problem named. */
export class TeamsPackageError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.name = 'TeamsPackageError';
  }
}

export interface ManifestInput {
  /** The bot's Microsoft App ID (MicrosoftAppId): a GUID. */
  appId: string | undefined;
  /** The public base URL (PUBLIC_URL), https. */
  publicUrl: string | undefined;
  /**
   * The Teams app id (TEAMS_APP_ID) when the app already exists in the Developer Portal, e.g. created by
   * `atk provision`; without it, a stable id derived from the bot id (teamsAppIdFor).
   */
  teamsAppId?: string | undefined;
}

/** A stable Teams app id for a bot: the UUID v5 of its Microsoft App ID (lower-cased). */
export function teamsAppIdFor(botAppId: string): string {
  return uuidV5(TEAMS_APP_ID_NAMESPACE, botAppId.toLowerCase());
}

/** RFC 9562 §5.5: SHA-1 of namespace bytes + name, with the version and variant bits set. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Checks the inputs and returns the placeholder values; throws one error naming every problem. */
export function manifestValues(input: ManifestInput): Record<string, string> {
  const problems: string[] = [];
  const appId = input.appId?.trim();
  if (!appId) {
    problems.push("MicrosoftAppId is not set: the manifest's bots[0].botId must be the bot's Microsoft App ID");
  } else if (!GUID.test(appId)) {
    problems.push(`MicrosoftAppId must be a GUID (the bot's Microsoft Entra application id), got "${appId}"`);
  }
  const teamsAppId = input.teamsAppId?.trim();
  if (teamsAppId && !GUID.test(teamsAppId)) {
    problems.push(`TEAMS_APP_ID must be a GUID (the app's id in the Teams Developer Portal), got "${teamsAppId}"`);
  }
  const url = publicBaseUrl(input.publicUrl, problems);
  if (problems.length > 0 || !appId || !url)
    throw new TeamsPackageError('Cannot build the Teams app package:', problems);
  return {
    TEAMS_APP_ID: teamsAppId || teamsAppIdFor(appId),
    BOT_ID: appId,
    // As the toolkit's BOT_ENDPOINT: the base URL without its trailing slash ("${{BOT_ENDPOINT}}/api/messages").
    BOT_ENDPOINT: url.href.replace(/\/$/, ''),
    BOT_DOMAIN: url.hostname,
  };
}

function publicBaseUrl(value: string | undefined, problems: string[]): URL | undefined {
  if (!value?.trim()) {
    problems.push('PUBLIC_URL is not set: the manifest needs the https address the bot is served from');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    problems.push(`PUBLIC_URL is not a URL: "${value}"`);
    return undefined;
  }
  if (url.protocol !== 'https:') problems.push(`PUBLIC_URL must use https (Teams requires it), got "${value}"`);
  if (url.search || url.hash || url.username || url.password) {
    problems.push(`PUBLIC_URL must be a plain base URL without query, fragment or credentials, got "${value}"`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function readTemplate(path: string = TEMPLATE_PATH): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Substitutes every `${{NAME}}` in the template's strings; an unknown name is an error, not a blank. */
export function fillTemplate(template: unknown, values: Record<string, string>): unknown {
  const unknown = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) unknown.add(whole);
        return value ?? whole;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  const filled = fill(template);
  if (unknown.size > 0) {
    throw new TeamsPackageError('The manifest template has placeholders with no value:', [...unknown]);
  }
  return filled;
}

/** The filled, not yet validated, manifest for one deployment. */
export function renderManifest(input: ManifestInput, template: unknown = readTemplate()): unknown {
  return fillTemplate(template, manifestValues(input));
}
