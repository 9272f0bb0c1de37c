/** What every Slack listener may use: the core, the log, the digest when it is enabled, and the installs. */

import type { DigestCommands } from '../../src/conversation/digest-commands.ts';
import type { Core } from '../../src/core.ts';
import type { CurationDesk } from '../../src/curation/desk.ts';
import type { ExportDesk } from '../../src/export/desk.ts';
import type { FeedbackDesk } from '../../src/feedback/desk.ts';
import type { Workspaces } from '../../src/installs/workspace-lifecycle.ts';
import type { Logger } from '../../src/logger.ts';
import type { SharedDeliveries } from './middleware/shared-deliveries.ts';

export interface SlackDeps {
  core: Core;
  logger: Logger;
  digest?: DigestCommands | undefined;
  /** A workspace uninstalling or coming back (absent without a store). */
  workspaces?: Workspaces | undefined;
  /** Deliveries seen by any replica (a shared database); without it each process dedupes alone. */
  deliveries?: SharedDeliveries | undefined;
  /** Readers' feedback (on when the store is). */
  feedback?: FeedbackDesk | undefined;
  /** The curation queue, for curators (on when the store is). */
  curation?: CurationDesk | undefined;
  /** "Export this week" on posted digests (on when the store is). */
  exports?: ExportDesk | undefined;
}
