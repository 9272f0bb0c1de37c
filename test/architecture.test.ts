/**
 * The shape of the house, checked on every `npm test`: src/ has no import cycles (between files, or
 * between its folders), and only the composition root (src/main.ts) knows a platform SDK or handlers/.
 * Platform identity stays in handlers/ too: src/ neither builds nor reads a surface's conversation keys.
 */
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importsOf, sourceFiles, stringsOf } from './helpers/imports.ts';

const files = sourceFiles('src');
const edges = files.flatMap(importsOf);

/** The folder right under src/ a file belongs to; a file directly in src/ is its own unit. */
function unitOf(file: string): string {
  const [, first, second] = file.split('/');
  return second === undefined ? `src/${first}` : `src/${first}/`;
}

function graphOf(key: (file: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) graph.set(key(f), graph.get(key(f)) ?? []);
  for (const e of edges) {
    if (!e.target?.startsWith('src/')) continue;
    const [from, to] = [key(e.from), key(e.target)];
    if (from !== to) graph.get(from)?.push(to);
  }
  return graph;
}

const COMPOSITION_ROOT = 'src/main.ts';

/** What src/ must not import: a platform SDK or the adapters. Type-only @slack/types (Block Kit shapes) is fine. */
function platformImport(e: ImportEdge): boolean {
  if (e.target?.startsWith('handlers/')) return true;
  if (/^botbuilder|^botframework-/.test(e.specifier)) return true;
  if (e.specifier.startsWith('@slack/')) return !(e.specifier === '@slack/types' && e.typeOnly);
  return false;
}

describe('the import graph of src/', () => {
  it('reads the imports it checks (the graph is not empty)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.some((e) => e.from === 'src/core.ts' && e.target === 'src/answer/answer.ts')).toBe(true);
  });

  it('has no import cycle between files, type-only imports included', () => {
    expect(cycles(graphOf((f) => f))).toEqual([]);
  });

  it('has no import cycle between the folders of src/ (e.g. answer/ ↔ digest/)', () => {
    expect(cycles(graphOf(unitOf))).toEqual([]);
  });

  it('imports no @slack/*, botbuilder* or handlers/ outside the composition root', () => {
    const offending = edges
      .filter((e) => e.from !== COMPOSITION_ROOT && platformImport(e))
      .map((e) => `${e.from} imports ${e.specifier}${e.typeOnly ? ' (type-only)' : ''}`);
    expect(offending).toEqual([]);
  });
});

/** A surface's own spelling of a conversation key (`slack:T…:C…`, `teams:19:…`). */
const KEY_PREFIX = /^(slack|teams):/i;
/** Where a conversation is only ever an opaque key: no platform named in code at all. */
const KEY_ONLY = ['src/store/', 'src/digest/', 'src/conversation/', 'src/core.ts', 'src/interaction.ts'];
const PLATFORM_NAME = /^(slack|teams)$/i;

describe('platform identity in src/', () => {
  it('no file builds or parses a conversation key by its surface prefix', () => {
    const offending = files.flatMap((f) =>
      stringsOf(f)
        .filter((s) => KEY_PREFIX.test(s))
        .map((s) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('the store, the digest and the conversation path name no platform', () => {
    const offending = files
      .filter((f) => KEY_ONLY.some((p) => f.startsWith(p)))
      .flatMap((f) =>
        stringsOf(f)
          .filter((s) => PLATFORM_NAME.test(s.trim()))
          .map((s) => `${f}: ${s}`),
      );
    expect(offending).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find a cycle when there is one, and none in a chain', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(cyclic)).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('read the strings of code, not of comments', () => {
    const strings = stringsOf('test/helpers/imports.ts');
    expect(strings).toContain('typescript');
    expect(strings).not.toContain('@slack/types');
  });

  it('tell a type-only @slack/types import from a value import and from other SDKs', () => {
    const edge = (specifier: string, typeOnly: boolean): ImportEdge => ({ from: 'src/x.ts', specifier, typeOnly });
    expect(platformImport(edge('@slack/types', true))).toBe(false);
    expect(platformImport(edge('@slack/types', false))).toBe(true);
    expect(platformImport(edge('@slack/web-api', true))).toBe(true);
    expect(platformImport(edge('botbuilder', false))).toBe(true);
    expect(platformImport(edge('botframework-connector', true))).toBe(true);
    expect(platformImport({ ...edge('../../handlers/slack/app.ts', false), target: 'handlers/slack/app.ts' })).toBe(
      true,
    );
  });
});
