import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeError, loadKnowledge } from '../src/knowledge/load.ts';
import { openKnowledge } from '../src/knowledge/snapshot.ts';
import { copyMinKb } from './helpers/kb-fixture.ts';
import { tempDir } from './helpers/store-fixture.ts';

/** Every field of a knowledge base but the ranking cache, which fills as the base is used. */
function contents(kb: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kb).filter(([key]) => key !== 'ranked'));
}

function snapshotFolder() {
  const folder = tempDir();
  return { ...folder, path: join(folder.dir, 'knowledge.json') };
}

describe('the validated knowledge-base snapshot', () => {
  it('gives the same knowledge base as reading and validating the YAML', async () => {
    const snapshot = snapshotFolder();
    const first = await openKnowledge(undefined, snapshot.path);
    const second = await openKnowledge(undefined, snapshot.path);
    expect(second.origin).toBe('snapshot');
    expect(contents(second.kb)).toEqual(contents(loadKnowledge()));
    expect(contents(first.kb)).toEqual(contents(second.kb));
    snapshot.remove();
  });

  it('is not used once a YAML file changed: the YAML is validated again and the snapshot refreshed', async () => {
    const kb = copyMinKb();
    const snapshot = snapshotFolder();
    expect((await openKnowledge(kb.dir, snapshot.path)).origin).toBe('validated');
    expect((await openKnowledge(kb.dir, snapshot.path)).origin).toBe('snapshot');

    kb.edit('review.yaml', (t) => t.replace('version: 0.0.1', 'version: 0.0.2'));
    kb.edit('changes.yaml', (t) => t.replace('version: "0.0.1"', 'version: "0.0.2"'));
    const edited = await openKnowledge(kb.dir, snapshot.path);
    expect(edited.origin).toBe('validated');
    expect(edited.kb.version).toBe('0.0.2');
    expect((await openKnowledge(kb.dir, snapshot.path)).kb.version).toBe('0.0.2');
    snapshot.remove();
  });

  it('never hides a broken edit: invalid YAML throws even when a snapshot of the old files exists', async () => {
    const kb = copyMinKb();
    const snapshot = snapshotFolder();
    await openKnowledge(kb.dir, snapshot.path);
    kb.edit('evidence.yaml', (t) => t.replace('agents: [agent-test-tki]', 'agents: [agent-nope]'));
    await expect(openKnowledge(kb.dir, snapshot.path)).rejects.toThrow(KnowledgeError);
    snapshot.remove();
  });

  it('falls back to the YAML when the snapshot file is damaged', async () => {
    const kb = copyMinKb();
    const snapshot = snapshotFolder();
    await openKnowledge(kb.dir, snapshot.path);
    writeFileSync(snapshot.path, readFileSync(snapshot.path, 'utf8').slice(0, 100));
    expect((await openKnowledge(kb.dir, snapshot.path)).origin).toBe('validated');
    snapshot.remove();
  });
});
