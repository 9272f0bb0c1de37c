/**
 * Source links the knowledge base cites, read back from a URL: for link unfurls on Slack and Teams.
 * Only the three link forms the cards themselves print are recognised (plus ClinicalTrials.gov's
 * classic form), so an unfurl never guesses.
 */
export interface SourceIdentifier {
  pmid?: string;
  doi?: string;
  nct?: string;
}

export const UNFURL_DOMAINS = ['pubmed.ncbi.nlm.nih.gov', 'doi.org', 'clinicaltrials.gov'] as const;

export function identifierFromUrl(raw: string): SourceIdentifier | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const path = decodeURIComponent(url.pathname);
  if (host === 'pubmed.ncbi.nlm.nih.gov') {
    const pmid = /^\/(\d{1,9})\/?$/.exec(path)?.[1];
    return pmid ? { pmid } : undefined;
  }
  if (host === 'doi.org' || host === 'dx.doi.org') {
    const doi = /^\/(10\.\d{4,9}\/\S+)$/.exec(path)?.[1];
    return doi ? { doi } : undefined;
  }
  if (host === 'clinicaltrials.gov' || host === 'classic.clinicaltrials.gov') {
    const nct = /^\/(?:study|ct2\/show)\/(NCT\d{8})\/?$/i.exec(path)?.[1];
    return nct ? { nct: nct.toUpperCase() } : undefined;
  }
  return undefined;
}
