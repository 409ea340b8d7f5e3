/**
 * A whole number of kibibytes as a Kubernetes quantity in the largest binary unit that represents it
 * exactly (`2Ti`, `40Gi`, `1536Mi`, `1536Ki`), as the API server writes quantities. Callers check the number first, with their own prop name.
 */
export function binaryQuantity(kib: number): string {
  if (kib % 1024 ** 4 === 0) return `${kib / 1024 ** 4}Pi`;
  if (kib % 1024 ** 3 === 0) return `${kib / 1024 ** 3}Ti`;
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}Gi`;
  if (kib % 1024 === 0) return `${kib / 1024}Mi`;
  return `${kib}Ki`;
}
