/** Freezes an object graph in place (the linked Brain is immutable) and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Only objects are visited: a policy's tool lists alone can hold thousands of strings.
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === "object" && v !== null) deepFreeze(v);
  } else {
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === "object" && v !== null) deepFreeze(v);
    }
  }
  return value;
}
