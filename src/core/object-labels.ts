/**
 * An object's labels read without trusting them: objects reach the runtime from caches of API
 * answers, and `metadata.labels` of a malformed one may be anything.
 */

/** `object`'s `metadata.labels`, or none when it is not an object. */
export function labelsOf(object: { readonly metadata: object }): Readonly<Record<string, string>> {
  const labels = (object.metadata as { labels?: unknown }).labels;
  return typeof labels === 'object' && labels !== null && !Array.isArray(labels) ? labels as Record<string, string> : {};
}
