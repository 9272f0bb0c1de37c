/**
 * Reading fast-xml-parser output without trusting its shape. The parser is set to leave entities and
 * the inner XML of mixed-content elements alone (see pubmed-parse.ts), so every value read here is
 * decoded exactly once, by `plain` or by `cleanMarkup`.
 */
import { XMLValidator } from 'fast-xml-parser';
import { decodeEntities } from '../../util/html-entities.ts';
import { SourceError } from '../http.ts';
import { collapseSpace } from './text.ts';

export type XmlNode = Record<string, unknown>;

/** An element's own text: a string, or `#text` of an element with attributes; '' for anything else. */
export function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) {
    const t = (value as XmlNode)['#text'];
    return typeof t === 'string' ? t : '';
  }
  return '';
}

/** Text of a plain (not mixed-content) element, entities decoded and spaces collapsed. */
export function plain(value: unknown): string {
  return collapseSpace(decodeEntities(rawText(value)));
}

export function attr(value: unknown, name: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const a = (value as XmlNode)[`@_${name}`];
  return typeof a === 'string' ? decodeEntities(a) : undefined;
}

export function node(value: unknown): XmlNode | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Fails with a SourceError (code 'parse') when the text is not well-formed XML. */
export function checkWellFormed(xml: string, what: string): void {
  const result = XMLValidator.validate(xml);
  if (result !== true) {
    throw new SourceError('parse', `${what} is not well-formed XML: ${result.err.msg} (line ${result.err.line})`);
  }
}
