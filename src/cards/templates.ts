/**
 * The handlebars views in `templates/<surface>/`. Every file is both a template and a partial of the
 * same name. They produce text only (the structure of Block Kit and Adaptive Cards is built in typed
 * code), compiled with `noEscape` because values arrive already escaped for their surface, and
 * `strict` so a misspelt field fails loudly instead of printing nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type HandlebarsApi from 'handlebars';
import { projectPath } from '../util/project-root.ts';

// The package's single-file build: it loads in a third of the time of its 40-module entry, and a CLI
// answer waits for it.
const Handlebars = createRequire(import.meta.url)('handlebars/dist/handlebars.js') as typeof HandlebarsApi;

export type Surface = 'slack' | 'teams' | 'text';

export const TEMPLATES_DIR = projectPath('templates');

export type Render = (name: string, data: object) => string;

const cache = new Map<string, Render>();

export function templatesFor(surface: Surface, dir = TEMPLATES_DIR): Render {
  const key = `${dir}|${surface}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const hb = Handlebars.create();
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  const folder = join(dir, surface);
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.hbs'))) {
    const name = basename(file, '.hbs');
    const source = readFileSync(join(folder, file), 'utf8');
    hb.registerPartial(name, source);
    compiled.set(name, hb.compile(source, { noEscape: true, strict: true, preventIndent: true }));
  }
  const render: Render = (name, data) => {
    const template = compiled.get(name);
    if (!template) throw new Error(`no template ${surface}/${name}.hbs`);
    return template(data);
  };
  cache.set(key, render);
  return render;
}
