/**
 * Plain text from what the sources send: PubMed's mixed-content XML (inline `<i>`, `<sup>`, MathML,
 * entities), Europe PMC's HTML-in-JSON (sometimes entity-escaped a second time: `&lt;i&gt;ATM&lt;/i&gt;`)
 * and ClinicalTrials.gov's CommonMark (`\<`, `\[`). Downstream renderers escape for Slack or Teams; they
 * must never receive source markup.
 */
import { decodeEntities } from '../../util/html-entities.ts';

/** Inline tags vanish without a space (`<i>BRCA</i>-Negative` → `BRCA-Negative`). An allow-list, so that a
 * decoded `p < 0.05` is never mistaken for a tag. */
const INLINE_TAG =
  /<\/?(?:i|b|u|em|strong|sup|sub|sc|span|a|small|big|tt|inf|italic|bold|underline)(?:\s[^<>]*)?\/?>/gi;
/** Block tags separate words. */
const BLOCK_TAG = /<\/?(?:p|br|div|h[1-6]|li|ul|ol|list|list-item|DispFormula|title|label|caption)(?:\s[^<>]*)?\/?>/gi;
const MATH = /<(mml:)?math\b([^>]*)>([\s\S]*?)<\/\1math>/gi;
const ANY_MATHML_TAG = /<\/?(?:mml:)?[a-z]+\b[^<>]*>/gi;

/**
 * A formula as text: its `alttext` when it has one, else the characters of its leaves (`V̇O2max` comes
 * out as `V.O2max`), which still reads and still matches a keyword. No padding: the spaces around a
 * formula are the author's.
 */
function mathToText(attributes: string, inner: string): string {
  const alt = /\balttext\s*=\s*"([^"]*)"/i.exec(attributes)?.[1];
  if (alt?.trim()) return alt.trim();
  return inner.replace(/>\s+</g, '><').replace(ANY_MATHML_TAG, '').trim();
}

function stripOnce(text: string): string {
  return decodeEntities(
    text
      .replace(MATH, (_m, _prefix, attributes: string, inner: string) => mathToText(attributes, inner))
      .replace(INLINE_TAG, '')
      .replace(BLOCK_TAG, ' '),
  );
}

/**
 * Plain one-line text from marked-up source text. `passes: 2` also undoes a second layer of escaping
 * (Europe PMC titles); PubMed needs one, since its decoded `&lt;` is a real less-than sign.
 */
export function cleanMarkup(raw: string, passes: 1 | 2 = 1): string {
  let text = stripOnce(raw);
  if (passes === 2 && /<\/?[a-z]|&#?[a-z0-9]+;/i.test(text)) text = stripOnce(text);
  return collapseSpace(text);
}

/**
 * Plain text from ClinicalTrials.gov's CommonMark: backslash escapes undone (`\<`, `\[`, `\&`), runs of
 * spaces collapsed, paragraphs kept as single line breaks.
 */
export function cleanMarkdown(raw: string): string {
  return raw
    .replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, '$1')
    .split(/\r?\n/)
    .map(collapseSpace)
    .filter((line) => line.length > 0)
    .join('\n');
}

/** One line: every run of whitespace (newlines included) becomes a single space. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** ClinicalTrials.gov ids named in free text, upper-cased and de-duplicated in order of appearance. */
export function nctIdsIn(text: string | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(/\bNCT\d{8}\b/gi)].map((m) => m[0].toUpperCase()))];
}
