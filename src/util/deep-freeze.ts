/**
 * Freezes a value and everything it holds, for data that must not change once loaded (the config,
 * the knowledge base). An object already frozen is taken to be frozen all the way down and is not
 * walked again: the knowledge base's entities share objects, and this also ends any cycle.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
