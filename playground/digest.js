/** The digest dry run's report of each literature source, written so a failure reads as an explanation. */
import { h } from './dom.js';

/** The digest's source ids as people know them; other names are shown as they come. */
const SOURCE_LABELS = { pubmed: 'PubMed', europepmc: 'Europe PMC', clinicaltrials: 'ClinicalTrials.gov' };
const sourceLabel = (name) => SOURCE_LABELS[name] ?? name;

export function sourcesReport(sources) {
  const failed = sources.filter((s) => s.status === 'failed');
  let summary;
  if (sources.length === 0) summary = 'No literature source is configured.';
  else if (failed.length === 0) summary = `All ${sources.length} sources answered.`;
  else if (failed.length === sources.length)
    summary = `None of the ${sources.length} sources could be reached, so the digest below has nothing new from them. This is expected when this machine has no network access; each source’s error is listed below.`;
  else
    summary = `${failed.length} of ${sources.length} sources could not be reached: ${failed.map((s) => sourceLabel(s.name)).join(', ')}. The digest below is built from the others.`;
  return h(
    'div',
    { class: `sources ${failed.length > 0 ? 'sources-failed' : 'sources-ok'}` },
    h('p', { class: 'sources-summary' }, summary),
    h(
      'table',
      {},
      h('caption', {}, 'Literature sources'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Source', 'Status', 'Items', 'Details'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        sources.map((s) =>
          h(
            'tr',
            { class: `source-${s.status}` },
            h('th', { scope: 'row' }, sourceLabel(s.name)),
            h('td', {}, s.status === 'failed' ? 'could not be reached' : s.status),
            h('td', {}, String(s.count ?? 0)),
            h('td', {}, s.error ?? ''),
          ),
        ),
      ),
    ),
  );
}
