/** The Teams app manifest against the code: its commands, search command and unfurl domains exist in code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEARCH_COMMAND_ID } from '../handlers/teams/message-extensions/search.ts';
import { UNFURL_DOMAINS } from '../src/answer/links.ts';
import { parseCommand } from '../src/commands/parse.ts';

const manifest = JSON.parse(readFileSync(new URL('../appPackage/manifest.json', import.meta.url), 'utf8')) as {
  bots: { commandLists: { commands: { title: string }[] }[] }[];
  composeExtensions: {
    commands: { id: string; type: string }[];
    messageHandlers: { value: { domains: string[] } }[];
  }[];
};

describe('appPackage/manifest.json matches the code', () => {
  it('lists only commands the bot understands as subcommands', () => {
    const titles = manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(parseCommand(title).type, title).not.toBe('search');
  });

  it('declares the search command the bot answers', () => {
    expect(manifest.composeExtensions[0]!.commands).toEqual([
      expect.objectContaining({ id: SEARCH_COMMAND_ID, type: 'query' }),
    ]);
  });

  it('unfurls exactly the domains the bot recognises', () => {
    expect([...manifest.composeExtensions[0]!.messageHandlers[0]!.value.domains].sort()).toEqual(
      [...UNFURL_DOMAINS].sort(),
    );
  });
});
