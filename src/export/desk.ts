/**
 * "Export this week" on a posted digest, for every surface: the file of the digest items a channel
 * was shown in the last 7 days, for the person who pressed and nobody else. A surface that can hand
 * a file to one person (Slack: their direct messages with the bot) asks for the file itself; one that
 * cannot (Teams) gets a short-lived signed link to it, served by the bot's own HTTP server.
 *
 * The channel is always where the button was pressed, as the platform reports it; a link names the
 * channel too, but only under the server's signature, so it cannot be edited into another channel's.
 */
import { type Answer, kbStamp } from '../answer/answer.ts';
import { DISCLAIMER } from '../cards/disclaimer.ts';
import type { Core } from '../core.ts';
import { EXPORT_CHOICES, type ExportFile, exportFile, WEEK_MS } from '../digest/export-file.ts';
import type { ExportFormat } from '../digest/export-formats.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { EXPORT_LINK_TTL_MS, type ExportLinkSigner } from './signed-links.ts';

export type WeekExport = { ok: true; file: ExportFile } | { ok: false; answer: Answer };

export type ServedExport = { ok: true; file: ExportFile } | { ok: false; status: 403 | 500; message: string };

export interface ExportDeskOptions {
  /** Signs download links; without it links are off and `linksOff` says why. */
  links?: ExportLinkSigner | undefined;
  /** Why links are off, for the server's log (PUBLIC_URL is not set, …). */
  linksOff?: string | undefined;
  logger?: Logger;
  now?: () => Date;
}

export const EXPIRED_LINK =
  'This export link has expired: links work for 15 minutes. Press "Export this week" on the digest again for a new one.';
export const INVALID_LINK = 'This export link is not valid. Press "Export this week" on the digest for a new one.';

export class ExportDesk {
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(
    private readonly core: Core,
    private readonly store: Pick<Store, 'digestItems'>,
    private readonly options: ExportDeskOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  /** Whether download links can be made (and so whether their route is served). */
  get linksOn(): boolean {
    return this.options.links !== undefined;
  }

  /** The last 7 days of a channel's digest items as a file, or the answer that says why there is none. */
  async week(channelKey: string, format: ExportFormat): Promise<WeekExport> {
    const now = this.now();
    return this.prepare(channelKey, new Date(now.getTime() - WEEK_MS).toISOString(), format, now);
  }

  /** What the presser is told, where they pressed, once the file is in their direct messages with the bot. */
  sentPrivately(file: ExportFile): Answer {
    return this.notice(
      'Export sent',
      `I sent you ${this.described(file, 'here')} in our direct messages, where only you can see it.`,
    );
  }

  /** The line that comes with the file; `where` names the conversation in the surface's own markup. */
  fileNote(file: ExportFile, where: string): string {
    const { purpose } = this.choice(file);
    return `${file.items === 1 ? 'The 1 digest item' : `The ${file.items} digest items`} posted in ${where} in the last 7 days, as ${purpose}. ${DISCLAIMER}`;
  }

  /** What the presser is told when the file could not be handed over; `why` is for them to act on. */
  notSent(why = 'Please try again in a few minutes.'): Answer {
    return this.core.error(`The export could not be sent to you. ${why}`);
  }

  /** A download link to the week's file, for the presser only; or why there is none. Never throws. */
  async link(channelKey: string, format: ExportFormat): Promise<Answer> {
    const signer = this.options.links;
    if (!signer) {
      // The reader is told what to do; what is missing is for the server's log, not the card.
      this.logger.warn({ reason: this.options.linksOff ?? 'export links are off' }, 'digest export link not made');
      return this.notice(
        'Export links are not set up',
        'This server is not configured to send export files here: it has no public address for download links.',
        ['Ask whoever runs this bot to set up export links; its log says what is missing.'],
      );
    }
    const now = this.now();
    const since = new Date(now.getTime() - WEEK_MS).toISOString();
    const week = await this.prepare(channelKey, since, format, now);
    if (!week.ok) return week.answer;
    const { url, expires } = signer.url({ channelKey, since, format }, now);
    return {
      ...this.notice('Export ready', `Download ${this.described(week.file, 'elsewhere')}.`, [
        `The link works for ${EXPORT_LINK_TTL_MS / 60_000} minutes (until ${expires.toISOString().slice(11, 16)} UTC) and is meant for you only: please do not pass it on.`,
      ]),
      download: { label: `Download ${week.file.filename}`, url },
    };
  }

  /** The file a download link names, if the link is ours and unexpired. Never throws. */
  async serve(query: Record<string, unknown>): Promise<ServedExport> {
    const signer = this.options.links;
    if (!signer) return { ok: false, status: 403, message: INVALID_LINK };
    const now = this.now();
    const checked = signer.check(query, now);
    if (!checked.ok) {
      // The reason only: the link itself carries its signature, a credential until it expires.
      this.logger.warn({ reason: checked.reason }, 'digest export link refused');
      return { ok: false, status: 403, message: checked.reason === 'expired' ? EXPIRED_LINK : INVALID_LINK };
    }
    const { channelKey, since, format } = checked.link;
    try {
      const file = await exportFile({ store: this.store, kb: this.core.kb }, { channelKey, since, format }, now);
      this.logger.info({ format, items: file.items }, 'digest export downloaded');
      return { ok: true, file };
    } catch (err) {
      this.logger.error({ err }, 'digest export could not be read');
      return {
        ok: false,
        status: 500,
        message: 'The export could not be prepared. Please try again in a few minutes.',
      };
    }
  }

  private async prepare(channelKey: string, since: string, format: ExportFormat, now: Date): Promise<WeekExport> {
    let file: ExportFile;
    try {
      file = await exportFile({ store: this.store, kb: this.core.kb }, { channelKey, since, format }, now);
    } catch (err) {
      this.logger.error({ err, format }, 'digest export could not be prepared');
      return {
        ok: false,
        answer: this.core.error('The export could not be prepared. Please try again in a few minutes.'),
      };
    }
    if (file.items === 0) {
      return {
        ok: false,
        answer: this.notice('Nothing to export', 'No digest items were posted here in the last 7 days.'),
      };
    }
    return { ok: true, file };
  }

  /** "the 3 digest items posted here in the last 7 days as RIS, for Zotero, EndNote or Mendeley (her2-digest-….ris)". */
  private described(file: ExportFile, where: 'here' | 'elsewhere'): string {
    const items = file.items === 1 ? 'the 1 digest item' : `the ${file.items} digest items`;
    const posted =
      where === 'here'
        ? 'posted here in the last 7 days'
        : 'of the last 7 days from the conversation where you pressed “Export this week”';
    return `${items} ${posted}, as ${this.choice(file).purpose} (${file.filename})`;
  }

  private choice(file: ExportFile) {
    return EXPORT_CHOICES.find((c) => c.format === file.format) ?? { purpose: file.format };
  }

  private notice(title: string, message: string, details: string[] = []): Extract<Answer, { type: 'notice' }> {
    return {
      type: 'notice',
      title,
      message,
      details: [...details, 'Only you see this reply.'],
      kb: kbStamp(this.core.kb),
    };
  }
}
