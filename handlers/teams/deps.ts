/** What every Teams handler may use: the core, the log, the digest, and where references are kept. */

import type { DigestCommands } from '../../src/conversation/digest-commands.ts';
import type { Core } from '../../src/core.ts';
import type { CurationDesk } from '../../src/curation/desk.ts';
import type { ExportDesk } from '../../src/export/desk.ts';
import type { FeedbackDesk } from '../../src/feedback/desk.ts';
import type { Logger } from '../../src/logger.ts';
import type { ConversationReferences } from './references.ts';

export interface TeamsDeps {
  core: Core;
  logger: Logger;
  digest?: DigestCommands | undefined;
  /** Readers' feedback (on when the store is). */
  feedback?: FeedbackDesk | undefined;
  /** The curation queue, for curators (on when the store is). */
  curation?: CurationDesk | undefined;
  /** "Export this week" on posted digests (on when the store is). */
  exports?: ExportDesk | undefined;
  references?: ConversationReferences | undefined;
  /** The bot's Microsoft App ID (absent when running unauthenticated for local tools). */
  appId?: string | undefined;
}
