/** The playground's digest tab: a dry run through the real digest service, rendered three ways. */
import type { Core } from '../core.ts';
import type { DigestService } from '../digest/service.ts';
import type { PlaygroundDigest } from './routes.ts';
import { renderAnswer } from './surfaces.ts';

export function playgroundDigest(core: Core, service: DigestService): PlaygroundDigest {
  return {
    async dryRun(window) {
      const digest = await service.compute(window);
      const rendered = renderAnswer(
        core,
        {
          type: 'digest',
          digest,
          all: false,
          title: 'Digest dry run (nothing is posted)',
          kb: { version: core.kb.version, date: core.kb.versionDate },
        },
        { shareable: false },
      );
      return { surfaces: rendered.surfaces, sources: digest.sources };
    },
  };
}
