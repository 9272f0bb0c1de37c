/**
 * Configuration, parsed once from an injectable environment. Nothing else in the code base reads
 * `process.env`: every setting the bot has is declared here, with its default and its check.
 */
import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { isLoopbackHost } from './http/loopback.ts';
import { databaseUrlProblem } from './store/database-url.ts';
import { deepFreeze } from './util/deep-freeze.ts';
import { parseSealingKey, SealingKeyError } from './util/sealed-box.ts';

export { ConfigError };

const Bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const BaseUrl = z.url({ protocol: /^https?$/ }).transform((u) => (u.endsWith('/') ? u : `${u}/`));

const Port = z.coerce.number().int().min(0).max(65535);

/** Empty strings in .env files mean "not set". */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: Port.default(3978),
  /** Unset: loopback, unless a platform with credentials needs to be reached from outside. */
  HOST: z
    .string()
    .regex(/^(?:[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+)$/, 'must be an IP address or a host name of this machine')
    .optional(),
  PUBLIC_URL: optionalString,
  /** Signs "Export this week" download links (Teams); by default a key derived from MicrosoftAppPassword. */
  EXPORT_LINK_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters (e.g. openssl rand -hex 32)',
  }),

  KNOWLEDGE_DIR: optionalString,
  DATABASE_PATH: z.string().min(1).default('./data/her2bot.db'),
  /** `postgres://…`: PostgreSQL instead of the SQLite file, for several replicas on one database. */
  DATABASE_URL: optionalString,
  /** Who may see and decide the curation queue: Slack user ids and Teams AAD object ids, comma-separated. */
  CURATORS: z.string().default(''),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: BaseUrl.default('https://slack.com/api/'),
  /** Installs in several workspaces through OAuth (instead of SLACK_BOT_TOKEN). */
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  /** `<key id>:<base64 of 32 bytes>`: seals the workspaces' tokens at rest. */
  SLACK_TOKEN_ENCRYPTION_KEY: optionalString,
  /** Comma-separated keys of the same form that only open tokens sealed before a rotation. */
  SLACK_TOKEN_ENCRYPTION_OLD_KEYS: optionalString,

  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalString,
  /** The Teams app's id in the Developer Portal (`atk provision` writes it); only the app package reads it. */
  TEAMS_APP_ID: optionalString,
  /** `none`: Teams without authentication, for local tools only (loopback listener and serviceUrls). */
  TEAMS_AUTH: z
    .enum(['none'], { message: "the only value is 'none' (local tools on loopback); leave it unset otherwise" })
    .optional(),

  PLAYGROUND: z.enum(['on', 'off', 'auto']).default('auto'),

  PUBMED_BASE_URL: BaseUrl.default('https://eutils.ncbi.nlm.nih.gov/entrez/eutils/'),
  CTGOV_BASE_URL: BaseUrl.default('https://clinicaltrials.gov/api/v2/'),
  EUROPEPMC_BASE_URL: BaseUrl.default('https://www.ebi.ac.uk/europepmc/webservices/rest/'),
  DIGEST_SOURCES: z.string().default('pubmed,clinicaltrials'),
  NCBI_API_KEY: optionalString,
  NCBI_TOOL: z.string().min(1).default('her2-bot'),
  NCBI_EMAIL: optionalString,
  DIGEST_ENABLED: Bool.default(true),
  HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  /** The largest literature API response read; a bigger one fails the source with a clear error. */
  HTTP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /** `/healthz` says ok and the version; with this on it also lists surfaces and fault counters. */
  HEALTH_DETAILS: Bool.default(false),
  /** How long a digest claim holds before another replica may take the slot over (a crashed owner). */
  DIGEST_LEASE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(1800),
  /** On SIGTERM: how long digests in progress may take to finish before their claims are given back. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(20),
});

export const DIGEST_SOURCE_NAMES = ['pubmed', 'clinicaltrials', 'europepmc'] as const;
export type DigestSourceName = (typeof DIGEST_SOURCE_NAMES)[number];

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly logLevel: string;
  readonly server: {
    readonly port: number;
    readonly host: string;
    readonly publicUrl: string | undefined;
    /** `/healthz` shows surfaces and fault counters, not only ok and the version. */
    readonly healthDetails: boolean;
    /** On SIGTERM, how long work in progress may take to finish. */
    readonly shutdownGraceMs: number;
  };
  readonly knowledgeDir: string | undefined;
  readonly databasePath: string;
  /** Set: the store is this PostgreSQL database and `databasePath` is not used. */
  readonly databaseUrl: string | undefined;
  /** Slack user ids and Teams AAD object ids of the knowledge base's curators. */
  readonly curators: readonly string[];
  /**
   * Download links for "Export this week" (Teams): they point under PUBLIC_URL and are signed with
   * `secret`. Both are needed; `off` says, for the log and the button, why links are off.
   */
  readonly exportLinks:
    | { readonly baseUrl: string; readonly secret: string; readonly off: undefined }
    | { readonly baseUrl: undefined; readonly secret: undefined; readonly off: string };
  readonly slack:
    | {
        readonly mode: 'http' | 'socket';
        /** One workspace: its bot token. Undefined when workspaces install through OAuth. */
        readonly botToken: string | undefined;
        readonly signingSecret: string;
        readonly appToken: string | undefined;
        readonly apiUrl: string;
        /** Several workspaces, each installing through OAuth (HTTP mode only). */
        readonly oauth: SlackOAuthSettings | undefined;
      }
    | undefined;
  /**
   * Always present. `authenticated`: an app id, every request's token checked; `local`: TEAMS_AUTH=none,
   * loopback callers and serviceUrls only, nothing stored; `off`: no /api/messages at all.
   */
  readonly teams: {
    readonly mode: 'authenticated' | 'local' | 'off';
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId: string | undefined;
  };
  readonly playground: boolean;
  readonly digest: {
    readonly enabled: boolean;
    readonly sources: readonly DigestSourceName[];
    readonly pubmedBaseUrl: string;
    readonly ctgovBaseUrl: string;
    readonly europePmcBaseUrl: string;
    readonly ncbiApiKey: string | undefined;
    readonly ncbiTool: string;
    readonly ncbiEmail: string | undefined;
    readonly httpTimeoutMs: number;
    readonly maxBodyBytes: number;
    /** How long a digest claim holds (renewed while the digest runs). */
    readonly leaseMs: number;
  };
}

export interface SlackOAuthSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Signs the OAuth state parameter. */
  readonly stateSecret: string;
  /** PUBLIC_URL + slack/oauth_redirect, when PUBLIC_URL is set (Slack then checks it against the app's). */
  readonly redirectUri: string | undefined;
  /** Key settings (`<id>:<base64>`), checked here and turned into keys by the store's user. */
  readonly tokenKeys: { readonly current: string; readonly older: readonly string[] };
}

type Env = Record<string, string | undefined>;

/** Where the store lives: DATABASE_URL's PostgreSQL database when set, else the SQLite file. */
export function databaseLocation(config: Pick<Config, 'databasePath' | 'databaseUrl'>): string {
  return config.databaseUrl ?? config.databasePath;
}

/** Parses and checks the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = EnvSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  const slack = slackSettings(e, problems);
  const teams = teamsSettings(e, problems);
  const sources = digestSources(e.DIGEST_SOURCES, problems);
  const exportLinks = exportLinkSettings(e, problems);
  const databaseProblem = e.DATABASE_URL === undefined ? undefined : databaseUrlProblem(e.DATABASE_URL);
  if (databaseProblem) problems.push(databaseProblem);
  if (problems.length > 0) throw new ConfigError(problems);

  const anyPlatform = slack !== undefined || teams.appId !== undefined;
  const playground = e.PLAYGROUND === 'on' || (e.PLAYGROUND === 'auto' && !anyPlatform);
  // Only a platform with credentials that calls in over HTTP needs an outside address; everything
  // else (the playground, Socket Mode, local Teams tools) is for this machine.
  const reachable = slack?.mode === 'http' || teams.mode === 'authenticated';
  const host = e.HOST ?? (reachable ? '0.0.0.0' : '127.0.0.1');
  if (teams.mode === 'local' && !isLoopbackHost(host)) {
    problems.push(
      `HOST=${host}: TEAMS_AUTH=none serves /api/messages without authentication, so it listens on loopback only; unset HOST or set it to 127.0.0.1`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    server: {
      port: e.PORT,
      host,
      publicUrl: e.PUBLIC_URL,
      healthDetails: e.HEALTH_DETAILS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    },
    knowledgeDir: e.KNOWLEDGE_DIR,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    curators: [
      ...new Set(
        e.CURATORS.split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ],
    exportLinks,
    slack,
    teams,
    playground,
    digest: {
      enabled: e.DIGEST_ENABLED,
      sources,
      pubmedBaseUrl: e.PUBMED_BASE_URL,
      ctgovBaseUrl: e.CTGOV_BASE_URL,
      europePmcBaseUrl: e.EUROPEPMC_BASE_URL,
      ncbiApiKey: e.NCBI_API_KEY,
      ncbiTool: e.NCBI_TOOL,
      ncbiEmail: e.NCBI_EMAIL,
      httpTimeoutMs: e.HTTP_TIMEOUT_MS,
      maxBodyBytes: e.HTTP_MAX_BODY_BYTES,
      leaseMs: e.DIGEST_LEASE_SECONDS * 1000,
    },
  });
}

type Parsed = z.infer<typeof EnvSchema>;

/** An empty value (`SLACK_API_URL=` copied from .env.example) means "not set": the default applies. */
function withoutEmptyValues(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

/**
 * The settings the Teams app package needs. Packaging never talks to Microsoft, so it does not
 * need (or check) the app password that serving does.
 */
export function loadPackagingConfig(env: Env = process.env): {
  appId: string | undefined;
  publicUrl: string | undefined;
  teamsAppId: string | undefined;
} {
  const parsed = EnvSchema.pick({ MicrosoftAppId: true, PUBLIC_URL: true, TEAMS_APP_ID: true }).safeParse(
    withoutEmptyValues(env),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return { appId: parsed.data.MicrosoftAppId, publicUrl: parsed.data.PUBLIC_URL, teamsAppId: parsed.data.TEAMS_APP_ID };
}

function slackSettings(e: Parsed, problems: string[]): Config['slack'] {
  if (e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET) return slackOAuthSettings(e, problems);
  const { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: appToken } = e;
  if (!token && !secret && !appToken) return undefined;
  if (!token) problems.push('SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  else if (!token.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
  if (!secret) problems.push('SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set');
  if (appToken && !appToken.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)');
  }
  if (!token || !secret) return undefined;
  return {
    mode: appToken ? 'socket' : 'http',
    botToken: token,
    signingSecret: secret,
    appToken,
    apiUrl: e.SLACK_API_URL,
    oauth: undefined,
  };
}

/** Several workspaces: each installs through /slack/install, its token sealed in the store. */
function slackOAuthSettings(e: Parsed, problems: string[]): Config['slack'] {
  const before = problems.length;
  if (!e.SLACK_CLIENT_ID) problems.push('SLACK_CLIENT_ID is required when SLACK_CLIENT_SECRET is set');
  if (!e.SLACK_CLIENT_SECRET) problems.push('SLACK_CLIENT_SECRET is required when SLACK_CLIENT_ID is set');
  if (e.SLACK_BOT_TOKEN) {
    problems.push(
      'SLACK_BOT_TOKEN and SLACK_CLIENT_ID exclude each other: one workspace with its bot token, or several installing through OAuth',
    );
  }
  if (e.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_APP_TOKEN (Socket Mode) cannot be combined with SLACK_CLIENT_ID: OAuth installs need HTTP mode',
    );
  }
  if (!e.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET is required when SLACK_CLIENT_ID is set');
  if (!e.SLACK_STATE_SECRET || e.SLACK_STATE_SECRET.length < 32) {
    problems.push(
      'SLACK_STATE_SECRET must be at least 32 characters when SLACK_CLIENT_ID is set (it signs the OAuth state; e.g. openssl rand -hex 32)',
    );
  }
  const keys = tokenKeys(e, problems);
  if (problems.length > before || !keys) return undefined;
  return {
    mode: 'http',
    botToken: undefined,
    signingSecret: e.SLACK_SIGNING_SECRET!,
    appToken: undefined,
    apiUrl: e.SLACK_API_URL,
    oauth: {
      clientId: e.SLACK_CLIENT_ID!,
      clientSecret: e.SLACK_CLIENT_SECRET!,
      stateSecret: e.SLACK_STATE_SECRET!,
      redirectUri: e.PUBLIC_URL ? redirectUri(e.PUBLIC_URL, problems) : undefined,
      tokenKeys: keys,
    },
  };
}

function tokenKeys(e: Parsed, problems: string[]): SlackOAuthSettings['tokenKeys'] | undefined {
  if (!e.SLACK_TOKEN_ENCRYPTION_KEY) {
    problems.push(
      'SLACK_TOKEN_ENCRYPTION_KEY is required when SLACK_CLIENT_ID is set: <key id>:<32 random bytes in base64>, e.g. 2026-12:$(openssl rand -base64 32)',
    );
    return undefined;
  }
  const current = e.SLACK_TOKEN_ENCRYPTION_KEY;
  const older = (e.SLACK_TOKEN_ENCRYPTION_OLD_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  try {
    const ids = [parseSealingKey(current, 'SLACK_TOKEN_ENCRYPTION_KEY').id];
    for (const k of older) ids.push(parseSealingKey(k, 'SLACK_TOKEN_ENCRYPTION_OLD_KEYS').id);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated) throw new SealingKeyError(`SLACK_TOKEN_ENCRYPTION_*: two keys have the id "${repeated}"`);
  } catch (err) {
    if (!(err instanceof SealingKeyError)) throw err;
    problems.push(err.message);
    return undefined;
  }
  return { current, older };
}

function redirectUri(publicUrl: string, problems: string[]): string | undefined {
  try {
    return new URL('slack/oauth_redirect', publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href;
  } catch {
    problems.push(`PUBLIC_URL is not a URL: "${publicUrl}"`);
    return undefined;
  }
}

/**
 * Export links need the https address people reach the bot at, and a secret to sign them with: their
 * own (EXPORT_LINK_SECRET), or the Teams app's password, from which a key for links alone is derived.
 * Without either, links are off and say so; only a PUBLIC_URL that is not a URL stops the start.
 */
function exportLinkSettings(e: Parsed, problems: string[]): Config['exportLinks'] {
  const off = (why: string) => ({ baseUrl: undefined, secret: undefined, off: why });
  let url: URL | undefined;
  if (e.PUBLIC_URL) {
    try {
      url = new URL(e.PUBLIC_URL);
    } catch {
      // redirectUri() reports it for OAuth installs; report it once.
      if (!e.SLACK_CLIENT_ID) problems.push(`PUBLIC_URL is not a URL: "${e.PUBLIC_URL}"`);
      return off('PUBLIC_URL is not a URL');
    }
  }
  if (!url) return off('PUBLIC_URL (the https address this server is reached at) is not set');
  if (url.protocol !== 'https:')
    return off(`PUBLIC_URL must be an https address for download links, got ${url.protocol}`);
  if (url.search || url.hash || url.username || url.password)
    return off('PUBLIC_URL must be a plain base URL, without query, fragment or credentials');
  const secret = e.EXPORT_LINK_SECRET ?? e.MicrosoftAppPassword;
  if (!secret) return off('there is no secret to sign them: set EXPORT_LINK_SECRET (32+ random characters)');
  return { baseUrl: url.href, secret, off: undefined };
}

function teamsSettings(e: Parsed, problems: string[]): Config['teams'] {
  const appId = e.MicrosoftAppId;
  if (!appId) {
    if (e.MicrosoftAppPassword) problems.push('MicrosoftAppId is required when MicrosoftAppPassword is set');
    // Without an app id Teams is off, unless local tools (Emulator, Agents Playground) ask for it by name.
    return {
      mode: e.TEAMS_AUTH === 'none' ? 'local' : 'off',
      appId: undefined,
      appPassword: undefined,
      appType: e.MicrosoftAppType,
      tenantId: undefined,
    };
  }
  if (e.TEAMS_AUTH === 'none') {
    problems.push('TEAMS_AUTH=none turns authentication off: it cannot be combined with MicrosoftAppId');
  }
  if (e.MicrosoftAppType === 'SingleTenant' && !e.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant');
  }
  if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
    problems.push(`MicrosoftAppPassword is required when MicrosoftAppType is ${e.MicrosoftAppType}`);
  }
  return {
    mode: 'authenticated',
    appId,
    appPassword: e.MicrosoftAppPassword,
    appType: e.MicrosoftAppType,
    tenantId: e.MicrosoftAppTenantId,
  };
}

function digestSources(value: string, problems: string[]): DigestSourceName[] {
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(DIGEST_SOURCE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    problems.push(
      `DIGEST_SOURCES: unknown source ${unknown.join(', ')} (choose from ${DIGEST_SOURCE_NAMES.join(', ')})`,
    );
  }
  return [...new Set(names)].filter((n): n is DigestSourceName =>
    (DIGEST_SOURCE_NAMES as readonly string[]).includes(n),
  );
}

/**
 * The process environment with `.env` (if present) underneath it: real environment variables win,
 * as with dotenv's default. Only the entry points call this; everything else receives a Config.
 */
export function readEnvironment(dotenvPath = '.env'): Env {
  const fromFile = existsSync(dotenvPath) ? dotenv.parse(readFileSync(dotenvPath)) : {};
  return { ...fromFile, ...process.env };
}
