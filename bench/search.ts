/**
 * Search benchmark: index build and load time, query latency over a mixed query set, heap, and
 * relevance, for our search and for plain lunr with default settings over the same documents.
 * Prints one JSON object. Run: npx tsx bench/search.ts [--iterations N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import lunr from 'lunr';
import { parse } from 'yaml';
import { Core } from '../src/core.ts';
import { observe } from '../src/eval/observe.ts';
import { type EvalCase, EvalSet, evaluateCase, missingIds, type Observed, summarize } from '../src/eval/relevance.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { buildDocuments } from '../src/search/documents.ts';
import { kbFingerprint } from '../src/search/engine.ts';
import { Searcher } from '../src/search/search.ts';
import { buildTextIndex, loadTextIndex } from '../src/search/text-index.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '200' } } });
const iterations = Number(values.iterations);

const floorFile = new URL('../../shared/eval/queries.yaml', import.meta.url).pathname;
const extendedFile = new URL('../test/fixtures/eval/extended.yaml', import.meta.url).pathname;
const sets: Record<string, EvalCase[]> = {};
if (existsSync(floorFile)) sets.floor = EvalSet.parse(parse(readFileSync(floorFile, 'utf8')));
sets.extended = EvalSet.parse(parse(readFileSync(extendedFile, 'utf8')));
// Issue 12's clinician questions (with out-of-scope, patient and greeting cases) and their held-out part.
const questionsFile = new URL('../eval/questions.yaml', import.meta.url).pathname;
const heldOutFile = new URL('../eval/held-out.yaml', import.meta.url).pathname;
sets.questions = EvalSet.parse(parse(readFileSync(questionsFile, 'utf8')));
sets.heldOut = EvalSet.parse(parse(readFileSync(heldOutFile, 'utf8')));
const allCases = Object.values(sets).flat();

const HOSTILE = ['', 'pi3k:', '~', '^2', 'x'.repeat(10_000), '🧬', 'her2 -', '"}]}'];
const queries = [...allCases.map((c) => c.query), ...HOSTILE];

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function latency(run: (q: string) => unknown) {
  for (const q of queries) run(q); // warm up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    for (const q of queries) {
      const started = performance.now();
      run(q);
      samples.push(performance.now() - started);
    }
  }
  samples.sort((a, b) => a - b);
  return {
    queries: samples.length,
    p50Ms: round(percentile(samples, 50), 4),
    p99Ms: round(percentile(samples, 99), 4),
    maxMs: round(samples[samples.length - 1]!, 3),
  };
}

function round(n: number, digits = 3): number {
  return Number(n.toFixed(digits));
}

// --- ours ---
const kb = loadKnowledge();
const documents = buildDocuments(kb);
const build = time(() => buildTextIndex(documents));
const serialized = JSON.stringify({ fingerprint: kbFingerprint(kb), index: build.value.toJSON() });
const load = time(() => {
  const file = JSON.parse(serialized) as { index: object };
  return new Searcher(kb, buildDocuments(kb), loadTextIndex(file.index));
});
const searcher = load.value;
const core = await Core.open();

/** Per set: in-scope top-1, MRR@5 and facts; out-of-scope honesty; patient questions (plain lunr has no answer types). */
function relevance(observeFor: (q: string) => Observed) {
  const out: Record<string, object> = {};
  const known = (id: string) => id === 'review' || core.kb.entity(id) !== undefined;
  for (const [name, cases] of Object.entries(sets)) {
    const observed = cases.map((c) => observeFor(c.query));
    const report = summarize(
      cases.map((c, i) => evaluateCase(c, observed[i]!)),
      cases,
      cases.map((c) => missingIds(c, known)),
    );
    const withText = observed.some((o) => o.text !== '');
    out[name] = {
      top1Accuracy: report.top1Accuracy,
      mrrAt5: report.mrrAt5,
      passed: `${report.passed}/${report.cases}`,
      ...(withText ? { facts: `${report.factsFound}/${report.factsChecked}` } : {}),
      ...(report.outOfScope.cases > 0
        ? { outOfScopeHonest: `${report.outOfScope.honest}/${report.outOfScope.cases}` }
        : {}),
      ...(report.patientQuestions.cases > 0
        ? { patientQuestionsHandled: `${report.patientQuestions.handled}/${report.patientQuestions.cases}` }
        : {}),
      ...(report.pending.cases > 0 ? { pending: report.pending.cases } : {}),
    };
  }
  return out;
}

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const oursLatency = latency((q) => searcher.search(q));
const heapAfter = process.memoryUsage().heapUsed;

// --- baseline: plain lunr, default tokenizer, pipeline and query parser, same fields ---
const baselineBuild = time(() =>
  lunr(function () {
    this.ref('id');
    this.field('names');
    this.field('heading');
    this.field('body');
    for (const d of documents) this.add({ id: d.id, names: d.names, heading: d.heading, body: d.body });
  }),
);
const baseline = baselineBuild.value;
let baselineErrors = 0;
const baselineSearch = (q: string): string[] => {
  try {
    return baseline.search(q).map((r) => r.ref);
  } catch {
    baselineErrors++;
    return [];
  }
};
const baselineLatency = latency(baselineSearch);
baselineErrors = 0;
const baselineRelevance = relevance((q) => ({ hits: baselineSearch(q), text: '' }));
for (const q of queries) baselineSearch(q);

console.log(
  JSON.stringify(
    {
      benchmark: 'search',
      node: process.version,
      documents: documents.length,
      iterations,
      ours: {
        indexBuildMs: round(build.ms),
        indexLoadMs: round(load.ms),
        serializedIndexKB: round(serialized.length / 1024, 1),
        latency: oursLatency,
        heapUsedMB: round(heapAfter / 2 ** 20, 1),
        heapGrowthDuringQueriesMB: round((heapAfter - heapBefore) / 2 ** 20, 1),
        relevance: relevance((q) => observe(core, q)),
      },
      plainLunr: {
        indexBuildMs: round(baselineBuild.ms),
        latency: baselineLatency,
        queryParserErrors: `${baselineErrors} of ${queries.length} queries threw`,
        relevance: baselineRelevance,
      },
      goals: { p99UnderMs: 1, indexLoadUnderMs: 50 },
    },
    null,
    2,
  ),
);
