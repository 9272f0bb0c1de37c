/**
 * The platform-free core: the knowledge base, the search and the answers. Every surface (Slack,
 * Teams, the CLI, the playground) holds one Core and asks it for Answers.
 */
import { type Answer, answerForEntity, answerFromSearch, EXAMPLE_QUERIES, kbStamp } from './answer/answer.ts';
import { listAnswer, pagedResults } from './answer/lists.ts';
import { type Command, parseCommand } from './commands/parse.ts';
import type { KnowledgeBase } from './knowledge/knowledge-base.ts';
import { loadKnowledge } from './knowledge/load.ts';
import { type Logger, silentLogger } from './logger.ts';
import { openSearch } from './search/engine.ts';
import type { Searcher, SearchResult } from './search/search.ts';

export interface CoreOptions {
  knowledgeDir?: string | undefined;
  indexPath?: string | undefined;
  logger?: Logger;
}

export class Core {
  private constructor(
    readonly kb: KnowledgeBase,
    readonly searcher: Searcher,
  ) {}

  static open(options: CoreOptions = {}): Core {
    const logger = options.logger ?? silentLogger;
    const kb = loadKnowledge(options.knowledgeDir);
    const { searcher, origin } = openSearch(kb, { indexPath: options.indexPath, logger });
    logger.debug({ kbVersion: kb.version, index: origin }, 'knowledge base and search ready');
    return new Core(kb, searcher);
  }

  /** Answers what a user typed (subcommand or search). The digest answers elsewhere. */
  answer(text: string): Answer {
    return this.answerCommand(parseCommand(text));
  }

  answerCommand(command: Command): Answer {
    switch (command.type) {
      case 'help':
        return { type: 'help', examples: EXAMPLE_QUERIES, kb: kbStamp(this.kb) };
      case 'list':
        return listAnswer(this.kb, command.what, command.page);
      case 'search':
        return answerFromSearch(this.kb, this.search(command.query));
      case 'digest':
        return { type: 'error', message: 'The digest is not available here.', kb: kbStamp(this.kb) };
    }
  }

  search(query: string): SearchResult {
    return this.searcher.search(query);
  }

  /** The card for an id from a button or a link, or undefined if the id is unknown. */
  answerFor(id: string): Answer | undefined {
    return answerForEntity(this.kb, id);
  }

  /** "More results" for a query: the ranked hits as a list, one page at a time. */
  moreResults(query: string, page = 1): Answer {
    const hits = this.searcher.search(query, 50).hits;
    return pagedResults(this.kb, `Results for “${query}”`, query, hits, page);
  }
}
