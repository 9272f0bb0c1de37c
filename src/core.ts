/**
 * The platform-free core: the knowledge base, the search and the answers. Every surface (Slack,
 * Teams, the CLI, the playground) holds one Core and asks it for Answers.
 */

import type { ActionPayload } from './answer/actions.ts';
import { type Answer, answerForEntity, EXAMPLE_QUERIES, kbStamp } from './answer/answer.ts';
import { identifierFromUrl } from './answer/links.ts';
import { listAnswer, pagedResults } from './answer/lists.ts';
import { type Overview, overview } from './answer/overview.ts';
import { answerQuestion } from './answer/question.ts';
import { type Command, parseCommand } from './commands/parse.ts';
import type { KnowledgeBase } from './knowledge/knowledge-base.ts';
import { displayName } from './knowledge/knowledge-base.ts';
import { evidenceKindLabel } from './knowledge/labels.ts';
import { linkLabel } from './knowledge/link-labels.ts';
import type { Evidence } from './knowledge/schema.ts';
import { openKnowledge } from './knowledge/snapshot.ts';
import type { OpenLog } from './logger.ts';
import { openSearch } from './search/engine.ts';
import { cleanQuery, type Hit, type Searcher, type SearchResult } from './search/search.ts';
import { LruCache } from './util/lru.ts';

function evidenceHit(e: Evidence): Hit {
  const label = [evidenceKindLabel(e.kind), e.year].filter(Boolean).join(', ');
  return { id: e.id, kind: 'evidence', title: `${e.name} (${label}; level ${e.level})`, score: 0 };
}

export interface CoreOptions {
  knowledgeDir?: string | undefined;
  indexPath?: string | undefined;
  logger?: OpenLog;
}

export class Core {
  private constructor(
    readonly kb: KnowledgeBase,
    readonly searcher: Searcher,
  ) {}

  /** Opens the knowledge base (its validated snapshot when current) and the search index. */
  static async open(options: CoreOptions = {}): Promise<Core> {
    const logger = options.logger;
    const { kb, origin: knowledge } = await openKnowledge(options.knowledgeDir);
    const { searcher, origin } = openSearch(kb, { indexPath: options.indexPath, logger });
    logger?.debug({ kbVersion: kb.version, knowledge, index: origin }, 'knowledge base and search ready');
    return new Core(kb, searcher);
  }

  /**
   * Answers what a user typed (subcommand or search). The knowledge base does not change while the
   * process runs, so answers are cached by the normalised text: clinicians ask the same things.
   */
  answer(text: string): Answer {
    return this.answerParsed(parseCommand(text));
  }

  /** `answer` for words already parsed (the reply path parses them to tell a digest command apart). */
  answerParsed(command: Command): Answer {
    if (command.type === 'digest') return this.answerCommand(command);
    const key = command.type === 'search' ? `s:${cleanQuery(command.query).toLowerCase()}` : JSON.stringify(command);
    return this.answers.getOrSet(key, () => this.answerCommand(command));
  }

  private readonly answers = new LruCache<string, Answer>(1000);

  answerCommand(command: Command): Answer {
    switch (command.type) {
      case 'help':
        return { type: 'help', examples: EXAMPLE_QUERIES, kb: kbStamp(this.kb) };
      case 'list':
        return listAnswer(this.kb, command.what, command.page);
      case 'search':
        return answerQuestion(this.kb, this.search(command.query));
      case 'whats-new':
        return { type: 'changes', releases: this.kb.releasesSince().slice(0, 1), kb: kbStamp(this.kb) };
      case 'digest':
        return { type: 'error', message: 'The digest is not available here.', kb: kbStamp(this.kb) };
    }
  }

  search(query: string): SearchResult {
    return this.searcher.search(query);
  }

  /**
   * The card for an id from a button or a link, or undefined if the id is unknown: the whole card, or
   * with the question it answered, the same short card again (Share to channel, Back).
   */
  answerFor(id: string, query?: string): Answer | undefined {
    return answerForEntity(this.kb, id, query);
  }

  /** "More results" for a query: the ranked hits as a list, one page at a time. */
  moreResults(query: string, page = 1): Answer {
    const hits = this.searcher.search(query, 50).hits;
    return pagedResults(this.kb, `Results for “${query}”`, query, hits, page);
  }

  /**
   * What a button asks for, answered from the ids in its payload without searching again (except
   * "More results", which pages through the query's hits).
   */
  handleAction(payload: ActionPayload): Answer {
    switch (payload.a) {
      case 'open':
      case 'share':
        if (payload.id) return this.answerFor(payload.id, payload.q) ?? this.unknown();
        if (payload.q) return this.page(payload.q, payload.p ?? 1);
        return this.answerCommand({ type: 'help' });
      case 'show':
        return (payload.id ? this.answerFor(payload.id) : undefined) ?? this.unknown();
      case 'agents':
      case 'evidence':
        return payload.id ? this.related(payload.a, payload.id, payload.p ?? 1) : this.unknown();
      case 'more':
      case 'page':
        return payload.q ? this.page(payload.q, payload.p ?? 1) : this.unknown();
      case 'help':
        return this.answerCommand({ type: 'help' });
    }
  }

  /** A page of a list: a list word, a related list ("evidence:agent-t-dm1") or a query's hits. */
  page(query: string, page: number): Answer {
    const related = /^(agents|evidence):(.+)$/.exec(query);
    if (related) return this.related(related[1] as 'agents' | 'evidence', related[2]!, page);
    const command = parseCommand(query);
    if (command.type === 'list') return listAnswer(this.kb, command.what, page);
    return this.moreResults(query, page);
  }

  /** The agents (or mechanisms) and the evidence linked to an entity, as a list. */
  related(what: 'agents' | 'evidence', id: string, page = 1): Answer {
    const entity = this.kb.entity(id);
    if (!entity || entity.kind === 'review') return this.unknown();
    const key = `${what}:${id}`;
    const name = displayName(this.kb, id) ?? id;
    if (what === 'evidence') {
      const evidence =
        entity.kind === 'agent'
          ? this.kb.evidenceForAgent(id)
          : entity.kind === 'mechanism'
            ? this.kb.evidenceForMechanism(id)
            : [entity.item, ...this.kb.otherAnalyses(id)];
      return pagedResults(this.kb, `Evidence: ${name}`, key, evidence.map(evidenceHit), page);
    }
    const hits: Hit[] =
      entity.kind === 'mechanism'
        ? this.kb.agentLinks(id).map((l) => ({
            id: l.agent,
            kind: 'agent',
            title: `${l.agentItem.name} (${linkLabel(l.kind, l.level)})`,
            score: 0,
          }))
        : entity.kind === 'agent'
          ? this.kb.mechanismLinks(id).map(({ mechanism, link }) => ({
              id: mechanism.id,
              kind: 'mechanism',
              title: `${mechanism.shortName} (${linkLabel(link.kind, link.level)})`,
              score: 0,
            }))
          : this.kb.agentsForEvidence(id).map((a) => ({ id: a.id, kind: 'agent', title: a.name, score: 0 }));
    const title = entity.kind === 'agent' ? `Mechanisms: ${name}` : `Agents: ${name}`;
    return pagedResults(this.kb, title, key, hits, page);
  }

  /** The evidence card for a PubMed, DOI or ClinicalTrials.gov link the knowledge base cites. */
  unfurl(url: string): Answer | undefined {
    const identifier = identifierFromUrl(url);
    const evidence = identifier ? this.kb.evidenceByIdentifier(identifier) : undefined;
    return evidence ? answerForEntity(this.kb, evidence.id) : undefined;
  }

  overview(): Overview {
    return overview(this.kb);
  }

  /** A short, friendly error card; details belong in the log, not here. */
  error(message: string): Answer {
    return { type: 'error', message, kb: kbStamp(this.kb) };
  }

  private unknown(): Answer {
    return this.error('That item is no longer in the knowledge base. Try a new search.');
  }
}
