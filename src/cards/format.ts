/**
 * Facts as a clinician reads them, in plain (unescaped) text: a result line, an evidence line, the
 * source links. Numbers are printed exactly as the knowledge base holds them; unverified figures are
 * never stated plainly.
 */
import { isOutsideScope } from '../knowledge/knowledge-base.ts';
import { evidenceKindLabel, levelLabel } from '../knowledge/labels.ts';
import type { Evidence, Result, ResultValue, Statement } from '../knowledge/schema.ts';

export interface Link {
  label: string;
  url: string;
}

export interface EvidenceLine {
  id: string;
  name: string;
  kind: string;
  /** The key figure (verified), or the study's summary when it has no verified figure. */
  result: string;
  level: string;
  levelLabel: string;
  /** "before the 2011 review" or "after the 2011 review (later data)". */
  timing: string;
  later: boolean;
  citation: string;
  links: Link[];
}

const UNIT: Record<NonNullable<Result['unit']>, string> = { months: 'mo', weeks: 'wk', years: 'y', '%': '%' };

function ci(bounds: readonly [string, string] | undefined): string {
  return bounds ? ` (${bounds[0]}–${bounds[1]})` : '';
}

function pValue(p: string): string {
  return /^[<>≤]/.test(p) ? `P${p}` : `P=${p}`;
}

function valueText(v: ResultValue, unit: Result['unit'], withArm: boolean): string {
  const arm = withArm && v.arm ? `${v.arm} ` : '';
  const figure = unit === '%' && v.value !== 'NR' ? `${v.value}%` : v.value;
  return `${arm}${figure}${ci(v.ci)}`;
}

/**
 * "PFS 9.6 vs 6.4 mo, HR 0.65 (0.55–0.77), P<0.001". With `arms`, the values are named:
 * "PFS T-DM1 9.6 vs lapatinib + capecitabine 6.4 mo, …".
 */
export function resultText(r: Result, options: { arms?: boolean } = {}): string {
  const parts: string[] = [];
  const values = r.values.map((v) => valueText(v, r.unit, options.arms === true)).join(' vs ');
  const unit = r.unit && r.unit !== '%' && r.values.length > 0 ? ` ${UNIT[r.unit]}` : '';
  const head = r.population ? `${r.endpoint} (${r.population})` : r.endpoint;
  parts.push(values ? `${head} ${values}${unit}` : head);
  if (r.ratio) parts.push(`${r.ratio.kind} ${r.ratio.value}${ci(r.ratio.ci)}`);
  if (r.p) parts.push(pValue(r.p));
  let text = parts.join(', ');
  if (r.note) text += `; ${r.note}`;
  return text;
}

/** A result as the bot may say it: plainly if verified, otherwise hedged as the fact sheet requires. */
export function resultStatement(r: Result, options: { arms?: boolean } = {}): string {
  const text = resultText(r, options);
  return r.verified ? text : `Reported as ${text} (not verified in our sources)`;
}

export function statementText(s: Statement): string {
  return s.verified ? s.text : `Reportedly: ${s.text} (not verified in our sources)`;
}

/** The first verified result: what compact cards quote. */
export function keyResult(e: Evidence): Result | undefined {
  return e.results.find((r) => r.verified);
}

export function sourceLinks(e: Evidence): Link[] {
  const c = e.citation;
  const links: Link[] = [];
  if (c.pmid) links.push({ label: 'PubMed', url: `https://pubmed.ncbi.nlm.nih.gov/${c.pmid}/` });
  if (c.doi) links.push({ label: 'DOI', url: `https://doi.org/${c.doi}` });
  for (const nct of c.nct ?? []) links.push({ label: nct, url: `https://clinicaltrials.gov/study/${nct}` });
  if (links.length === 0 && c.pmcid)
    links.push({ label: 'PMC', url: `https://pmc.ncbi.nlm.nih.gov/articles/${c.pmcid}/` });
  return links;
}

export function timingText(e: Evidence): string {
  return e.relativeToReview === 'after' ? 'after the 2011 review (later data)' : 'before the 2011 review';
}

export function evidenceLine(e: Evidence): EvidenceLine {
  const key = keyResult(e);
  return {
    id: e.id,
    name: e.name,
    kind: evidenceKindLabel(e.kind),
    result:
      (isOutsideScope(e) ? 'HER2-low trial, outside this knowledge base’s HER2-positive scope: ' : '') +
      (key ? resultText(key) : truncate(e.summary, 220)),
    level: e.level,
    levelLabel: levelLabel(e.level),
    timing: timingText(e),
    later: e.relativeToReview === 'after',
    citation: e.citation.verified ? e.citation.text : `${e.citation.text} (citation details not fully verified)`,
    links: sourceLinks(e),
  };
}

/** Cuts text to `max` characters at a word boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
