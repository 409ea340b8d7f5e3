import { IConstruct } from 'constructs';
import { located } from './located';

/** The metadata type of a warning a construct records (`node.metadata`). */
export const WARNING_METADATA = 'cdk8s-spark:warning';

/**
 * Warns about something legal but probably not meant: recorded on the construct (its
 * `node.metadata`, type {@link WARNING_METADATA}) and printed once to stderr with the construct's path.
 * cdk8s has no warning annotations of its own.
 */
export function warn(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA, message);
  console.warn(located(scope, `warning: ${message}`));
}
