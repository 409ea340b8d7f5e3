/**
 * Whether sparkctl colours its output. A file of its own, without dependencies, because `main.ts`
 * decides it before the commands (and their libraries) are loaded.
 */

/** Whether to colour what goes to a stream: a terminal, and neither NO_COLOR nor TERM=dumb; FORCE_COLOR forces it. */
export function useColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return isTTY === true && env.TERM !== 'dumb';
}
