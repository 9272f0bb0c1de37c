/**
 * A surface's rendered messages, kept per answer and per variant (shareable or not, the way of
 * asking): found by the answer object (the core caches search answers, so the same object comes
 * back) and, for an answer built afresh with the same content (a digest status, a notice), by that
 * content, so an answer that has not changed is rendered once. Answers are plain data and a render
 * depends only on them and the process's knowledge base, so equal content renders equally.
 */
import type { Answer } from '../answer/answer.ts';
import { LruCache } from '../util/lru.ts';

export class RenderedAnswers<Variant extends string | object, Out> {
  private readonly byObject = new WeakMap<Answer, Map<Variant, Out>>();
  private readonly byContent: LruCache<string, Out>;
  private readonly variantIds = new WeakMap<object, number>();
  private nextVariantId = 0;

  constructor(maxByContent = 256) {
    this.byContent = new LruCache(maxByContent);
  }

  get(answer: Answer, variant: Variant, render: () => Out): Out {
    let byVariant = this.byObject.get(answer);
    if (!byVariant) {
      byVariant = new Map();
      this.byObject.set(answer, byVariant);
    }
    let out = byVariant.get(variant);
    if (out === undefined) {
      out = this.byContent.getOrSet(`${this.variantId(variant)}|${JSON.stringify(answer)}`, render);
      byVariant.set(variant, out);
    }
    return out;
  }

  private variantId(variant: Variant): string {
    if (typeof variant === 'string') return `s:${variant}`;
    let id = this.variantIds.get(variant);
    if (id === undefined) {
      id = this.nextVariantId++;
      this.variantIds.set(variant, id);
    }
    return `o:${id}`;
  }
}
