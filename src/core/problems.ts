/**
 * A problem found by a rule of the shared layer: where (a field path such as
 * `spec.executor.instances`) and what. Every part reports it in its own words for the same rule:
 * the constructs name the prop that set the field, the webhook and `sparkctl lint` the field path,
 * the controller writes it into `status.applicationState.errorMessage`.
 */
export interface Problem {
  /** The field the problem is about, as a path into the object: `spec.driverIngressOptions[1].servicePort`. */
  readonly path: string;
  /**
   * What is wrong and what to do, without the subject: `must be an integer >= 1 (got 0)`. Other
   * fields it mentions are written as `{spec.dynamicAllocation.maxExecutors}`, so that each part can
   * name them its own way (see {@link describeProblem}).
   */
  readonly message: string;
}

/** How a part names a field path (the constructs map it to a prop name). */
export type FieldNamer = (path: string) => string;

/** The field path itself, quoted: how the webhook, the controller and `sparkctl` name fields. */
export const fieldPath: FieldNamer = (path) => `'${path}'`;

const FIELD_REFERENCE = /\{((?:spec|metadata)(?:[.[][^{}\s]*)?)\}/g;

/** The problem's message alone, with the other fields it mentions named by `name`. */
export function problemMessage(problem: Problem, name: FieldNamer = fieldPath): string {
  return problem.message.replace(FIELD_REFERENCE, (_, path: string) => name(path));
}

/** The problem as one sentence: the subject named by `name`, then the message. */
export function describeProblem(problem: Problem, name: FieldNamer = fieldPath): string {
  return `${name(problem.path)} ${problemMessage(problem, name)}`;
}

/** Collects problems while rules walk an object. */
export class ProblemList {
  private readonly problems: Problem[] = [];

  /** Records a problem with the field at `path`. */
  public add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** The problems found so far, in the order the rules found them. */
  public toArray(): Problem[] {
    return [...this.problems];
  }
}
