import { IConstruct } from 'constructs';

/**
 * `error` with its message prefixed by the construct's path (`[analytics/nightly-etl] 'executor.instances'
 * must be ...`), as cdk8s prints synth-time validation errors: in an app of 200 jobs the path says
 * which one. A message that already names a path is kept as it is.
 */
export function locatedError(scope: IConstruct, error: unknown): unknown {
  if (!(error instanceof Error) || error.message.startsWith('[')) return error;
  return new Error(located(scope, error.message));
}

/** `message` prefixed by the construct's path: `[analytics/nightly-etl] message`. */
export function located(scope: IConstruct, message: string): string {
  return `[${scope.node.path}] ${message}`;
}
