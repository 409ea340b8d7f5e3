/**
 * A whole number of kibibytes as a Kubernetes quantity in the largest binary unit that represents it
 * exactly (`40Gi`, `1536Mi`, `1536Ki`). Callers check the number first, with their own prop name.
 */
export function binaryQuantity(kib: number): string {
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}Gi`;
  if (kib % 1024 === 0) return `${kib / 1024}Mi`;
  return `${kib}Ki`;
}
