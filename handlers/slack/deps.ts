/** What every Slack listener may use: the core, the log, and the digest when it is enabled. */
import type { Core } from '../../src/core.ts';
import type { DigestCommands } from '../../src/digest/commands.ts';
import type { Logger } from '../../src/logger.ts';

export interface SlackDeps {
  core: Core;
  logger: Logger;
  digest?: DigestCommands | undefined;
}
