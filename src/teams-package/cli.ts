/**
 * Builds the Teams app package from the configuration (MicrosoftAppId, PUBLIC_URL, optionally TEAMS_APP_ID):
 *
 *   tsx src/teams-package/cli.ts [--out build/her2bot-teams.zip]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CliIo, processIo } from '../cli/io.ts';
import { ConfigError, loadPackagingConfig, readEnvironment } from '../config.ts';
import { buildTeamsPackage, DEFAULT_OUT_FILE, MANIFEST_VERSION, TeamsPackageError } from './build.ts';

export const usage = `Usage: tsx src/teams-package/cli.ts [--out <file>]

Builds the Teams app package (manifest.json, color.png, outline.png) for upload to Teams.
Fills appPackage/manifest.json's placeholders from the environment or .env: BOT_ID from
MicrosoftAppId (the bot's Microsoft App ID), BOT_ENDPOINT and BOT_DOMAIN from PUBLIC_URL, and
TEAMS_APP_ID from TEAMS_APP_ID if set (else a stable id derived from the bot id); validates the
manifest offline against the v${MANIFEST_VERSION} schema, and writes the zip.

Options:
  -o, --out <file>  where to write the zip (default ${DEFAULT_OUT_FILE})
  -h, --help        show this help`;

/** Runs the packager; returns the exit status (0 done, 1 bad configuration or manifest, 2 bad usage). */
export function teamsPackageCli(
  argv: string[],
  env: Record<string, string | undefined> = readEnvironment(),
  io: CliIo = processIo,
): number {
  let out: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(usage);
      return 0;
    }
    out = values.out;
  } catch (err) {
    io.err(`teams package: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  try {
    const config = loadPackagingConfig(env);
    const built = buildTeamsPackage({
      appId: config.appId,
      publicUrl: config.publicUrl,
      teamsAppId: config.teamsAppId,
      outFile: out ?? DEFAULT_OUT_FILE,
    });
    const bot = built.manifest.bots?.[0]?.botId;
    io.out(
      `wrote ${built.outFile}\n` +
        `  manifest v${built.manifest.manifestVersion}, app ${built.manifest.id} version ${built.manifest.version}, ` +
        `bot ${bot}, domain ${built.manifest.validDomains?.join(', ')}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof TeamsPackageError || err instanceof ConfigError) {
      io.err(`teams package: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = teamsPackageCli(process.argv.slice(2));
}
