/**
 * Helpers that more than one part of the bot relies on, tested for each use: one HTML entity decoder
 * for the literature sources' markup and for Teams messages, one deep freeze for the config and the
 * knowledge base.
 */
import { describe, expect, it } from 'vitest';
import { queryText } from '../handlers/teams/mention.ts';
import { loadConfig } from '../src/config.ts';
import { cleanMarkup } from '../src/digest/sources/text.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { deepFreeze } from '../src/util/deep-freeze.ts';
import { decodeEntities } from '../src/util/html-entities.ts';
import { messageActivity } from './helpers/teams.ts';

describe('decodeEntities', () => {
  it('decodes named, decimal and hexadecimal references', () => {
    expect(decodeEntities('p&lt;0.05 &amp; HR&nbsp;0.68 &#946;-catenin &#x3B1;-helix &#39;x&#39; &quot;y&quot;')).toBe(
      'p<0.05 & HR 0.68 β-catenin α-helix \'x\' "y"',
    );
    expect(decodeEntities('&Delta; vs &delta; &micro;g &le; 5 &ndash; &hellip;')).toBe('Δ vs δ µg ≤ 5 – …');
  });

  it('leaves unknown names, code points out of range and bare ampersands as written', () => {
    for (const text of ['&nosuch;', '&#0;', '&#x110000;', 'AT&T', '& amp;', '&amp', 'R&D;']) {
      expect(decodeEntities(text)).toBe(text);
    }
  });

  it('never reads a name off the object prototype', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(decodeEntities(`a &${name}; b`)).toBe(`a &${name}; b`);
    }
  });

  it('turns a source title escaped twice into plain text (Europe PMC), and once only for PubMed', () => {
    expect(cleanMarkup('&lt;i&gt;ATM&lt;/i&gt; loss &amp;amp; HER2', 2)).toBe('ATM loss & HER2');
    expect(cleanMarkup('<i>PIK3CA</i> p &lt; 0.05 &amp;lt; x')).toBe('PIK3CA p < 0.05 &lt; x');
  });

  it('reads what a Teams user typed: the mention gone, entities decoded, a name-like word kept', () => {
    const typed = (text: string) => queryText(messageActivity('http://x/', text) as never);
    expect(typed('p95&amp;her2 &quot;T-DM1&quot;')).toBe('p95&her2 "T-DM1"');
    expect(typed('HR&nbsp;&lt;&nbsp;1 &#x2265; 0.5')).toBe('HR < 1 ≥ 0.5');
    expect(typed('&constructor; p95')).toBe('&constructor; p95');
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, and returns the same value', () => {
    const value = { a: { b: [{ c: 1 }] }, d: 'x' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
    expect(() => {
      (value.a.b as unknown[]).push(2);
    }).toThrow(TypeError);
  });

  it('ends on a cycle and passes over what is not an object', () => {
    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    expect(Object.isFrozen(deepFreeze(cyclic))).toBe(true);
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze('text')).toBe('text');
  });

  it('leaves the loaded config and knowledge base unchangeable all the way down', () => {
    const config = loadConfig({ CURATORS: 'U1,U2' });
    expect(Object.isFrozen(config.curators)).toBe(true);
    expect(Object.isFrozen(config.digest.sources)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    const kb = loadKnowledge();
    const evidence = kb.evidence[0]!;
    expect(Object.isFrozen(evidence.citation)).toBe(true);
    expect(Object.isFrozen(evidence.results)).toBe(true);
    expect(Object.isFrozen(kb.scope)).toBe(true);
  });
});
