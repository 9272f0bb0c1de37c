/**
 * GET /digest/export?…, on the bot's own HTTP server: the file a signed export link names
 * (./signed-links.ts), as an attachment; an expired or altered link gets a 403 with a plain sentence.
 * The query holds the link's signature, so neither it nor the URL is ever logged here.
 */
import type { Express } from 'express';
import type { ServedExport } from './desk.ts';
import { EXPORT_LINK_PATH } from './signed-links.ts';

export function mountExportRoute(
  web: Express,
  exports: { serve(query: Record<string, unknown>): Promise<ServedExport> },
): void {
  web.get(`/${EXPORT_LINK_PATH}`, async (req, res) => {
    const served = await exports.serve(req.query as Record<string, unknown>);
    // One person's file: kept by no cache or proxy, never sniffed into something a browser runs, and
    // the link not passed on as a Referer.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!served.ok) {
      res.status(served.status).setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.send(served.message);
      return;
    }
    const { file } = served;
    res.status(200);
    res.setHeader('Content-Type', `${file.mediaType}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.send(file.content);
  });
}
