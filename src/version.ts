/** The bot's own version, from package.json (shown on /healthz and in the Teams app package). */
import { readFileSync } from 'node:fs';
import { projectPath } from './util/project-root.ts';

export const VERSION: string = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string })
  .version;
