import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildTeamsPackage,
  createTeamsPackage,
  MANIFEST_VERSION,
  TeamsPackageError,
  teamsAppIdFor,
  validateManifest,
} from '../src/teams-package/build.ts';
import { teamsPackageCli } from '../src/teams-package/cli.ts';
import {
  ACCENT_COLOR,
  APP_PACKAGE_DIR,
  encodePng,
  renderColorIcon,
  renderOutlineIcon,
} from '../src/teams-package/icons.ts';
import { fillTemplate, readTemplate, renderManifest, uuidV5 } from '../src/teams-package/manifest.ts';
import { schemaPath } from '../src/teams-package/validate.ts';
import { captureIo } from './helpers/capture-io.ts';

const APP_ID = '0b7f8e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const PUBLIC_URL = 'https://her2bot.example.org';
const input = { appId: APP_ID, publicUrl: PUBLIC_URL };
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const tmp = mkdtempSync(join(tmpdir(), 'her2bot-teams-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A valid filled manifest as a plain object, to break on purpose. */
function manifest(): Record<string, unknown> {
  return renderManifest(input) as Record<string, unknown>;
}

function iconBytes(file: string): Buffer {
  return readFileSync(resolve(APP_PACKAGE_DIR, file));
}

/** Width and height straight from the IHDR chunk (bytes 16..23), independent of any PNG library. */
function headerSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('Teams manifest', () => {
  it(`targets manifest v${MANIFEST_VERSION}, whose schema ships in @microsoft/app-manifest`, () => {
    const template = readTemplate() as { manifestVersion: string; $schema: string };
    expect(template.manifestVersion).toBe(MANIFEST_VERSION);
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    );
    expect(() => readFileSync(schemaPath())).not.toThrow();
  });

  it('fills the template into a manifest that validates against the shipped schema, offline', () => {
    const filled = manifest();
    expect(() => validateManifest(filled)).not.toThrow();
    expect(JSON.stringify(filled)).not.toContain('${{');
  });

  it('declares the bot in every scope, its five commands, the searchKnowledge query and link unfurling', () => {
    const m = manifest();
    validateManifest(m);
    expect(m.developer).toEqual({
      name: 'her2-bot developers',
      websiteUrl: 'https://her2bot.example.org/',
      privacyUrl: 'https://her2bot.example.org/privacy',
      termsOfUseUrl: 'https://her2bot.example.org/terms',
    });
    expect(m.name).toEqual({ short: 'HER2 Bot', full: 'HER2 resistance bot' });
    expect(m.description.full).toMatch(/Gajria & Chandarlapaty 2011/);
    expect(m.description.full).toMatch(/research use only/i);
    expect(m.description.full).toMatch(/not medical advice/i);
    expect(m.accentColor.toLowerCase()).toBe(ACCENT_COLOR);
    expect(m.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    const bot = m.bots?.[0];
    expect(bot?.botId).toBe(APP_ID);
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    const commands = bot?.commandLists?.[0]?.commands ?? [];
    expect(commands.map((c) => c.title)).toEqual(['help', 'mechanisms', 'agents', 'trials', 'digest']);
    for (const c of commands) expect(c.description?.length).toBeGreaterThan(10);
    const extension = m.composeExtensions?.[0];
    expect(extension?.botId).toBe(APP_ID);
    expect(extension?.commands).toHaveLength(1);
    expect(extension?.commands?.[0]).toMatchObject({ id: 'searchKnowledge', type: 'query' });
    expect(extension?.commands?.[0]?.parameters?.map((p) => p.name)).toEqual(['query']);
    expect(extension?.messageHandlers).toEqual([
      { type: 'link', value: { domains: ['pubmed.ncbi.nlm.nih.gov', 'doi.org', 'clinicaltrials.gov'] } },
    ]);
    expect(m.permissions).toEqual(['identity', 'messageTeamMembers']);
    expect(m.validDomains).toEqual(['her2bot.example.org']);
    expect(m.version).toBe(PACKAGE_VERSION);
  });

  it('gives each bot a stable Teams app id of its own (UUID v5 of the bot id)', () => {
    expect(manifest().id).toBe(teamsAppIdFor(APP_ID));
    expect(teamsAppIdFor(APP_ID)).toBe(teamsAppIdFor(APP_ID.toUpperCase()));
    expect(teamsAppIdFor(APP_ID)).not.toBe(teamsAppIdFor('11111111-2222-4333-8444-555555555555'));
    expect(teamsAppIdFor(APP_ID)).not.toBe(APP_ID);
    expect(teamsAppIdFor(APP_ID)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // RFC 9562 test vector: the DNS namespace and www.example.com.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('uses TEAMS_APP_ID when the Developer Portal already has the app (atk provision wrote it)', () => {
    const portalId = '4d1a7c3e-2b5f-4e6a-9c8d-0f1e2d3c4b5a';
    const m = renderManifest({ ...input, teamsAppId: portalId }) as Record<string, unknown>;
    validateManifest(m);
    expect(m.id).toBe(portalId);
    expect(m.bots?.[0]?.botId).toBe(APP_ID);
  });

  it('keeps a base path of PUBLIC_URL and adds the trailing slash', () => {
    const m = renderManifest({ ...input, publicUrl: 'https://bots.example.org:8443/her2' }) as Record<string, unknown>;
    validateManifest(m);
    expect(m.developer.privacyUrl).toBe('https://bots.example.org:8443/her2/privacy');
    expect(m.validDomains).toEqual(['bots.example.org']);
  });

  it('rejects an unknown property, naming it', () => {
    const bad = { ...manifest(), colour: 'pink' };
    expect(() => validateManifest(bad)).toThrow(TeamsPackageError);
    expect(() => validateManifest(bad)).toThrow('(manifest root): unknown property "colour"');
  });

  it('rejects an unknown property deep inside, with its path', () => {
    const bad = manifest() as { bots: Record<string, unknown>[] };
    bad.bots[0] = { ...bad.bots[0], scope: ['personal'] };
    expect(() => validateManifest(bad)).toThrow('/bots/0: unknown property "scope"');
  });

  it('rejects a manifestVersion other than the one built for', () => {
    const bad = { ...manifest(), manifestVersion: '1.99' };
    expect(() => validateManifest(bad)).toThrow(`/manifestVersion: must be "${MANIFEST_VERSION}", got "1.99"`);
  });

  it('rejects a $schema that points at another version', () => {
    const bad = {
      ...manifest(),
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.28/MicrosoftTeams.schema.json',
    };
    expect(() => validateManifest(bad)).toThrow(/\/\$schema: must be ".*v1\.30.*", got ".*v1\.28/);
  });

  it('rejects a non-GUID id, saying it must be a GUID', () => {
    const bad = { ...manifest(), id: 'her2-bot' };
    expect(() => validateManifest(bad)).toThrow('/id: "her2-bot" is not a GUID');
  });

  it('lists every problem at once, one line each', () => {
    const bad = { ...manifest(), id: 'x', manifestVersion: '1.0', extra: true };
    try {
      validateManifest(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TeamsPackageError);
      expect((err as TeamsPackageError).problems).toHaveLength(3);
      expect((err as Error).message.split('\n')[0]).toBe('The Teams manifest does not match the v1.30 schema:');
    }
  });

  it('names MicrosoftAppId when the app id is missing, and PUBLIC_URL when the URL is', () => {
    expect(() => renderManifest({ ...input, appId: undefined })).toThrow(/MicrosoftAppId is not set/);
    expect(() => renderManifest({ ...input, appId: '  ' })).toThrow(/MicrosoftAppId is not set/);
    expect(() => renderManifest({ ...input, publicUrl: undefined })).toThrow(/PUBLIC_URL is not set/);
  });

  it('rejects an app id or TEAMS_APP_ID that is not a GUID, and an http or unparsable PUBLIC_URL', () => {
    expect(() => renderManifest({ ...input, appId: 'her2bot' })).toThrow(/MicrosoftAppId must be a GUID.*"her2bot"/);
    expect(() => renderManifest({ ...input, publicUrl: 'http://her2bot.example.org' })).toThrow(
      /PUBLIC_URL must use https/,
    );
    expect(() => renderManifest({ ...input, publicUrl: 'her2bot.example.org' })).toThrow(/PUBLIC_URL is not a URL/);
    expect(() => renderManifest({ ...input, publicUrl: 'https://x.example.org/?a=1' })).toThrow(/without query/);
    expect(() => renderManifest({ ...input, teamsAppId: 'her2' })).toThrow(/TEAMS_APP_ID must be a GUID.*"her2"/);
  });

  it('refuses a template placeholder it has no value for, instead of leaving it blank', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the template's ${{NAME}} placeholders, not JS templates
    expect(() => fillTemplate({ a: ['${{TEAMS_APP_ID}}', '${{TYPO}}'] }, { TEAMS_APP_ID: 'x' })).toThrow(
      /placeholders with no value:\n {2}- \$\{\{TYPO\}\}/,
    );
  });
});

describe('Teams icons', () => {
  it('are 192×192 (color.png) and 32×32 (outline.png), read from the PNG headers', () => {
    expect(headerSize(iconBytes('color.png'))).toEqual({ width: 192, height: 192 });
    expect(headerSize(iconBytes('outline.png'))).toEqual({ width: 32, height: 32 });
  });

  it('outline.png is white on transparent only', () => {
    const png = PNG.sync.read(iconBytes('outline.png'));
    let opaque = 0;
    let clear = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a === 0) clear++;
      else expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(100);
    expect(clear).toBeGreaterThan(300);
  });

  it('color.png is full colour: opaque in the middle, with more than white and grey', () => {
    const png = PNG.sync.read(iconBytes('color.png'));
    const pixel = (x: number, y: number) => [...png.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    expect(pixel(96, 20)[3]).toBe(255);
    const [r, g, b] = pixel(96, 20);
    expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeGreaterThan(40);
  });

  it('the checked-in icons are exactly what icons.ts draws', () => {
    for (const [file, render] of [
      ['color.png', renderColorIcon],
      ['outline.png', renderOutlineIcon],
    ] as const) {
      const drawn = PNG.sync.read(encodePng(render()));
      const stored = PNG.sync.read(iconBytes(file));
      expect(Buffer.compare(stored.data, drawn.data), `${file} is stale: run tsx src/teams-package/icons.ts`).toBe(0);
    }
  });
});

describe('Teams app package', () => {
  it('holds exactly manifest.json, color.png and outline.png, at the root', () => {
    const outFile = join(tmp, 'nested', 'her2bot-teams.zip');
    const built = buildTeamsPackage({ ...input, outFile });
    expect(built.outFile).toBe(outFile);
    const entries = unzipSync(readFileSync(outFile));
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(Buffer.from(entries['color.png']!)).toEqual(iconBytes('color.png'));
    expect(Buffer.from(entries['outline.png']!)).toEqual(iconBytes('outline.png'));
  });

  it('has a manifest with the given app id and the endpoint host, valid against the schema', () => {
    const { zip } = createTeamsPackage({ ...input, publicUrl: 'https://her2.contoso.test/' });
    const m = JSON.parse(strFromU8(unzipSync(zip)['manifest.json']!));
    expect(() => validateManifest(m)).not.toThrow();
    expect(m.bots[0].botId).toBe(APP_ID);
    expect(m.composeExtensions[0].botId).toBe(APP_ID);
    expect(m.id).toBe(teamsAppIdFor(APP_ID));
    expect(m.validDomains).toEqual(['her2.contoso.test']);
    expect(m.developer.websiteUrl).toBe('https://her2.contoso.test/');
  });

  it('is byte-for-byte the same when built twice from the same inputs', () => {
    expect(Buffer.from(createTeamsPackage(input).zip)).toEqual(Buffer.from(createTeamsPackage(input).zip));
  });

  it('fails with a message naming MicrosoftAppId when there is no app id, and writes nothing', () => {
    const outFile = join(tmp, 'never.zip');
    expect(() => buildTeamsPackage({ appId: undefined, publicUrl: PUBLIC_URL, outFile })).toThrow(
      /Cannot build the Teams app package:\n {2}- MicrosoftAppId is not set/,
    );
    expect(() => readFileSync(outFile)).toThrow();
  });

  it('refuses missing icons and icons of the wrong size', () => {
    expect(() => createTeamsPackage({ ...input, iconDir: join(tmp, 'no-icons') })).toThrow(/color\.png: not found/);
    const iconDir = join(tmp, 'small-icons');
    mkdirSync(iconDir);
    writeFileSync(join(iconDir, 'color.png'), iconBytes('outline.png'));
    writeFileSync(join(iconDir, 'outline.png'), iconBytes('outline.png'));
    expect(() => createTeamsPackage({ ...input, iconDir })).toThrow('color.png: must be a 192×192 PNG, got 32×32');
  });
});

describe('tsx src/teams-package/cli.ts', () => {
  const env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', PUBLIC_URL };

  it('writes the package from MicrosoftAppId and PUBLIC_URL to --out', () => {
    const io = captureIo();
    const outFile = join(tmp, 'cli', 'teams.zip');
    expect(teamsPackageCli(['--out', outFile], env, io)).toBe(0);
    expect(io.stdout.join('\n')).toContain(`wrote ${outFile}`);
    expect(io.stdout.join('\n')).toContain(`bot ${APP_ID}, domain her2bot.example.org`);
    const m = JSON.parse(strFromU8(unzipSync(readFileSync(outFile))['manifest.json']!));
    expect(m.bots[0].botId).toBe(APP_ID);
  });

  it('takes the Teams app id from TEAMS_APP_ID when it is set', () => {
    const io = captureIo();
    const outFile = join(tmp, 'cli', 'portal.zip');
    const portalId = '4d1a7c3e-2b5f-4e6a-9c8d-0f1e2d3c4b5a';
    expect(teamsPackageCli(['--out', outFile], { ...env, TEAMS_APP_ID: portalId }, io)).toBe(0);
    expect(JSON.parse(strFromU8(unzipSync(readFileSync(outFile))['manifest.json']!)).id).toBe(portalId);
  });

  it('exits 1 with a clear message naming MicrosoftAppId when it is not configured', () => {
    const io = captureIo();
    expect(teamsPackageCli(['--out', join(tmp, 'cli', 'none.zip')], { PUBLIC_URL }, io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/MicrosoftAppId is not set/);
  });

  it('packages without the app password, which only serving needs', () => {
    const io = captureIo();
    expect(teamsPackageCli(['--out', join(tmp, 'cli', 'nopass.zip')], { MicrosoftAppId: APP_ID, PUBLIC_URL }, io)).toBe(
      0,
    );
  });

  it('exits 1 on an invalid configuration and 2 on an unknown option', () => {
    const io = captureIo();
    expect(teamsPackageCli([], { MicrosoftAppId: APP_ID, PUBLIC_URL: 'not a url' }, io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/PUBLIC_URL/);
    expect(teamsPackageCli(['--bogus'], env, io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/Unknown option '--bogus'/);
  });
});
