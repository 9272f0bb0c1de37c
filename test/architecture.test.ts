/**
 * The shape of the house, checked on every `npm test`: src/ has no import cycles (between files, or
 * between its folders), and only the composition root (src/main.ts) knows a platform SDK or handlers/.
 */
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importsOf, sourceFiles } from './helpers/imports.ts';

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
