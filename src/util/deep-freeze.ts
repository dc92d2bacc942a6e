/**
 * A value shared between events instead of copied, frozen all the way down: a caller that would
 * change it throws instead of changing it for every later event.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
