/**
 * Ownership as the operator judges it: an object is an application's (or a schedule's) only when one
 * of its owner references names that object's uid. A name or a label alone never makes an object
 * ours: names derive from user input, and anyone may set a label.
 */

/** True when one of `object`'s owner references (`metadata.ownerReferences`, read without trusting it) is the object of uid `owner`. */
export function isOwnedBy(object: { readonly metadata: object }, owner: string): boolean {
  const owners = (object.metadata as { ownerReferences?: unknown }).ownerReferences;
  return Array.isArray(owners) && owners.some((o) => (o as { uid?: unknown } | null)?.uid === owner);
}
