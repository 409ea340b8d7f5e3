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

/**
 * The problems as one text: each as {@link describeProblem} says it, `; ` between them, the first
 * `limit` of them and how many more there are.
 */
export function describeProblems(problems: readonly Problem[], limit: number): string {
  const listed = problems.slice(0, limit).map((p) => describeProblem(p)).join('; ');
  return problems.length > limit ? `${listed} (and ${problems.length - limit} more)` : listed;
}

/** How many problems the status (and Event) of an object the controller cannot run lists. */
export const MAX_PROBLEMS_IN_MESSAGE = 10;

/**
 * Why the controller cannot run an object of `kind`, as its status and Event say it: `invalid
 * <kind>: ` and the first {@link MAX_PROBLEMS_IN_MESSAGE} problems with their field paths.
 */
export function invalidMessage(kind: string, problems: readonly Problem[]): string {
  return `invalid ${kind}: ${describeProblems(problems, MAX_PROBLEMS_IN_MESSAGE)}`;
}

/**
 * The longest message (or path) a problem keeps. Messages quote the values they refuse, and a value
 * can be as large as the object (a 1 MB name, a sparkConf value): what reaches a status, an Event
 * or a terminal must stay readable and small.
 */
export const MAX_PROBLEM_TEXT = 1000;

/**
 * `text` on one line and at most `max` characters: control characters (newlines, escapes) are
 * written as JSON escapes, and the middle of a longer text is cut, saying how much.
 */
export function boundedText(text: string, max = MAX_PROBLEM_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  if (oneLine.length <= max) return oneLine;
  const cut = oneLine.length - max;
  const head = Math.ceil(max * 0.7);
  return `${oneLine.slice(0, head)}...(${cut} characters cut)...${oneLine.slice(oneLine.length - (max - head))}`;
}

/** Collects problems while rules walk an object. */
export class ProblemList {
  private readonly problems: Problem[] = [];

  /** Records a problem with the field at `path` (both kept on one line and bounded, see {@link boundedText}). */
  public add(path: string, message: string): void {
    this.problems.push({ path: boundedText(path, MAX_PROBLEM_TEXT / 4), message: boundedText(message) });
  }

  /** How many problems were found so far. */
  public get size(): number {
    return this.problems.length;
  }

  /** The problems found so far, in the order the rules found them. */
  public toArray(): Problem[] {
    return [...this.problems];
  }
}
