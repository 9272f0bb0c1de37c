/** What every Slack listener may use: the core, the log, and the digest when it is enabled. */

import type { DigestCommands } from '../../src/conversation/digest-commands.ts';
import type { Core } from '../../src/core.ts';
import type { Logger } from '../../src/logger.ts';

export interface SlackDeps {
  core: Core;
  logger: Logger;
  digest?: DigestCommands | undefined;
}
