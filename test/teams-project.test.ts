/**
 * The Microsoft 365 Agents Toolkit project (m365agents.yml, env/, infra/, appPackage/manifest.json): the
 * files the toolkit reads exist, every `${{VAR}}` it meets has a value by the time it is needed, no secret is
 * committed, and the manifest the toolkit would build is the one `npm run teams:package` builds, valid
 * against Microsoft's schema offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { createTeamsPackage, validateManifest } from '../src/teams-package/build.ts';
import { fillTemplate, readTemplate } from '../src/teams-package/manifest.ts';
import { projectPath } from '../src/util/project-root.ts';

interface Step {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface ProjectFile {
  version: string;
  environmentFolderPath: string;
  provision: Step[];
  deploy: Step[];
  publish: Step[];
}

const read = (path: string) => readFileSync(projectPath(path), 'utf8');
const project = parse(read('m365agents.yml')) as ProjectFile;
const envDev = dotenv.parse(read('env/.env.dev'));
const bicep = read('infra/azure.bicep');

const PLACEHOLDER = /\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;
const placeholders = (text: string) => new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
/** Empty in env/.env.dev on purpose: the toolkit asks for them, or makes one up (RESOURCE_SUFFIX). */
const ASKED_BY_THE_TOOLKIT = new Set(['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX']);
/** What infra/azure.bicep hands back; arm/deploy writes each output to env/.env.<env>. */
const bicepOutputs = [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1]!);

/** The text a step makes the toolkit resolve: its own settings and the files it fills in. */
function textResolvedBy(step: Step): string {
  let text = JSON.stringify(step.with ?? {});
  const manifestPath = step.with?.manifestPath;
  if (typeof manifestPath === 'string') text += read(manifestPath);
  for (const template of (step.with?.templates ?? []) as { parameters?: string }[]) {
    if (template.parameters) text += read(template.parameters);
  }
  return text;
}

describe('m365agents.yml (Microsoft 365 Agents Toolkit)', () => {
  it('reads env/ and builds from appPackage/manifest.json, the files it names all present', () => {
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(project.environmentFolderPath).toBe('./env');
    const steps = [...project.provision, ...project.deploy, ...project.publish];
    const manifests = steps.map((s) => s.with?.manifestPath).filter(Boolean);
    expect(manifests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(manifests)).toEqual(new Set(['./appPackage/manifest.json']));
    const files = steps.flatMap((s) => [
      s.with?.manifestPath,
      s.with?.ignoreFile,
      ...((s.with?.templates ?? []) as { path: string; parameters: string }[]).flatMap((t) => [t.path, t.parameters]),
    ]);
    for (const file of files.filter((f): f is string => typeof f === 'string')) {
      expect(existsSync(projectPath(file)), file).toBe(true);
    }
  });

  it('runs the basic bot lifecycle: create the app, deploy Azure, package, validate, update; build and zip-deploy', () => {
    expect(project.provision.map((s) => s.uses)).toEqual([
      'teamsApp/create',
      'arm/deploy',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(project.deploy.map((s) => s.uses)).toEqual(['cli/runNpmCommand', 'azureAppService/zipDeploy']);
    expect(project.publish.at(-1)?.uses).toBe('teamsApp/publishAppPackage');
  });

  it('has a value for every placeholder by the step that needs it (env/.env.dev, a step before, or a bicep output)', () => {
    const known = new Set([
      ...Object.entries(envDev)
        .filter(([, v]) => v !== '')
        .map(([k]) => k),
      ...ASKED_BY_THE_TOOLKIT,
    ]);
    const unresolved: string[] = [];
    const walk = (stage: string, steps: Step[]) => {
      for (const step of steps) {
        for (const name of placeholders(textResolvedBy(step))) {
          if (!known.has(name)) unresolved.push(`${stage}: ${step.uses} needs ${name}`);
        }
        for (const name of Object.values(step.writeToEnvironmentFile ?? {})) known.add(name);
        if (step.uses === 'arm/deploy') for (const name of bicepOutputs) known.add(name);
      }
    };
    walk('provision', project.provision);
    walk('deploy', project.deploy);
    walk('publish', project.publish);
    expect(unresolved).toEqual([]);
    // The manifest's own placeholders, all named as Microsoft's templates name them.
    expect([...placeholders(read('appPackage/manifest.json'))].sort()).toEqual([
      'BOT_DOMAIN',
      'BOT_ENDPOINT',
      'BOT_ID',
      'TEAMS_APP_ID',
    ]);
  });

  it('commits no secret: env/.env.dev holds names and two built-ins only, *.user files are ignored', () => {
    expect(Object.keys(envDev).filter((k) => k.startsWith('SECRET_'))).toEqual([]);
    const filled = Object.entries(envDev).filter(([, v]) => v !== '');
    expect(filled).toEqual([
      ['TEAMSFX_ENV', 'dev'],
      ['APP_NAME_SUFFIX', 'dev'],
    ]);
    for (const name of [...placeholders(read('m365agents.yml')), ...placeholders(read('appPackage/manifest.json'))]) {
      expect(name in envDev, `${name} is listed in env/.env.dev`).toBe(true);
    }
    const ignored = read('.gitignore').split('\n');
    expect(ignored).toContain('env/.env.*.user');
    expect(ignored).toContain('appPackage/build/');
  });
});

describe('infra/azure.bicep', () => {
  const settings = Object.fromEntries(
    [...bicep.matchAll(/\{ name: '(\w+)', value: ([^}]+) \}/g)].map((m) => [m[1]!, m[2]!.trim()]),
  );

  it('outputs what the manifest and the deploy step need', () => {
    expect(bicepOutputs.sort()).toEqual(
      ['AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN', 'BOT_ENDPOINT', 'BOT_ID', 'BOT_TENANT_ID'].sort(),
    );
  });

  it('gives the App Service only settings the bot documents (.env.example), which make a valid Teams configuration', () => {
    const documented = dotenv.parse(read('.env.example'));
    const ours = Object.keys(settings).filter((k) => !/^(WEBSITE|SCM)_/.test(k));
    expect(ours.length).toBeGreaterThan(4);
    for (const name of ours) expect(name in documented, `${name} is in .env.example`).toBe(true);
    // The values as App Service would have them once the identity exists.
    const resolved: Record<string, string> = {};
    for (const [name, value] of Object.entries(settings)) {
      if (/^'[^']*'$/.test(value) && !value.includes('${')) resolved[name] = value.slice(1, -1);
    }
    const config = loadConfig({
      ...resolved,
      MicrosoftAppId: '0b7f8e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b',
      MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      PUBLIC_URL: 'https://her2botdev.azurewebsites.net',
    });
    expect(config.teams).toMatchObject({ mode: 'authenticated', appType: 'UserAssignedMSI' });
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.databasePath).toBe('/home/data/her2bot.db');
  });
});

describe('the manifest the toolkit builds is the one npm run teams:package builds', () => {
  // What env/.env.dev holds after `atk provision` (teamsApp/create and the bicep outputs).
  const provisioned = {
    TEAMS_APP_ID: '4d1a7c3e-2b5f-4e6a-9c8d-0f1e2d3c4b5a',
    BOT_ID: '0b7f8e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b',
    BOT_DOMAIN: 'her2botdev.azurewebsites.net',
    BOT_ENDPOINT: 'https://her2botdev.azurewebsites.net',
  };

  it('validates against the bundled v1.30 schema, offline', () => {
    const filled = fillTemplate(readTemplate(), provisioned);
    expect(() => validateManifest(filled)).not.toThrow();
  });

  it('equals the packaged manifest.json built from MicrosoftAppId, PUBLIC_URL and TEAMS_APP_ID', () => {
    const { zip } = createTeamsPackage({
      appId: provisioned.BOT_ID,
      publicUrl: `${provisioned.BOT_ENDPOINT}/`,
      teamsAppId: provisioned.TEAMS_APP_ID,
    });
    const packaged = JSON.parse(strFromU8(unzipSync(zip)['manifest.json']!));
    expect(packaged).toEqual(fillTemplate(readTemplate(), provisioned));
  });

  it("carries package.json's version, so a release bumps both (Teams needs a new version for each update)", () => {
    const manifest = readTemplate() as { version: string };
    expect(manifest.version).toBe((JSON.parse(read('package.json')) as { version: string }).version);
  });
});
