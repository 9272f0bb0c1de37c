/**
 * The release history must tell the truth about the data: the newest release is the version every
 * card shows, releases run newest first, and every id it names exists (or, for removals, is gone).
 */
import { KNOWLEDGE_FILES } from './files.ts';
import { compareVersions, type KnowledgeBase, REVIEW_ID } from './knowledge-base.ts';
import type { Problem } from './problem.ts';

export function changeProblems(kb: KnowledgeBase): Problem[] {
  const file = KNOWLEDGE_FILES.changes;
  const problems: Problem[] = [];
  const releases = kb.changes.releases;
  const newest = releases[0];
  if (newest && (newest.version !== kb.version || newest.date !== kb.versionDate)) {
    problems.push({
      file,
      id: newest.version,
      message: `the newest release is ${newest.version} (${newest.date}) but review.yaml says ${kb.version} (${kb.versionDate})`,
    });
  }
  releases.forEach((r, i) => {
    const older = releases[i + 1];
    if (older && compareVersions(r.version, older.version) <= 0) {
      problems.push({ file, id: r.version, message: `releases must run newest first (${older.version} follows it)` });
    }
    const listed = [...r.added, ...r.changed, ...r.corrected.map((c) => c.id)];
    const exists = (id: string) => id === REVIEW_ID || kb.entity(id) !== undefined;
    // Only the newest release can be checked against today's data; older ones name ids as they were.
    if (i === 0) {
      for (const id of listed.filter((x) => !exists(x)))
        problems.push({ file, id: r.version, message: `unknown id ${id}` });
      for (const id of r.removed.filter(exists))
        problems.push({ file, id: r.version, message: `removed ${id} still exists` });
    }
    for (const id of r.added.filter((x) => r.changed.includes(x) || r.corrected.some((c) => c.id === x))) {
      problems.push({ file, id: r.version, message: `${id} is listed as added and also as changed or corrected` });
    }
    for (const list of [r.added, r.changed]) {
      for (const id of new Set(list.filter((x, j) => list.indexOf(x) !== j))) {
        problems.push({ file, id: r.version, message: `${id} is listed twice` });
      }
    }
  });
  return problems;
}
