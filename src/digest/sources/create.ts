/**
 * The configured literature sources, wired from the `digest` section of the config and the queries
 * built from the knowledge base. The one place that maps settings to source options, so callers
 * (the scheduled run, `her2bot digest --dry-run`) cannot wire a source differently from each other.
 */
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { createClinicalTrialsSource } from './clinicaltrials.ts';
import { createEuropePmcSource } from './europepmc.ts';
import { createPubMedSource } from './pubmed.ts';
import type { DigestQueries } from './queries.ts';
import type { LiteratureSource, SourceName } from './types.ts';

export function createLiteratureSources(
  digest: Config['digest'],
  queries: DigestQueries,
  logger?: Logger,
): LiteratureSource[] {
  const common = {
    timeoutMs: digest.httpTimeoutMs,
    maxBodyBytes: digest.maxBodyBytes,
    tool: digest.ncbiTool,
    email: digest.ncbiEmail,
    ...(logger ? { logger } : {}),
  };
  const build: Record<SourceName, () => LiteratureSource> = {
    pubmed: () =>
      createPubMedSource({ ...common, baseUrl: digest.pubmedBaseUrl, term: queries.pubmed, apiKey: digest.ncbiApiKey }),
    clinicaltrials: () =>
      createClinicalTrialsSource({ ...common, baseUrl: digest.ctgovBaseUrl, condition: queries.clinicalTrials }),
    europepmc: () => createEuropePmcSource({ ...common, baseUrl: digest.europePmcBaseUrl, query: queries.europePmc }),
  };
  return digest.sources.map((name) => build[name]());
}
