import { ApiObject, ApiObjectMetadata, Cron, Lazy, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as api from './api';
import { DEFAULT_RUN_HISTORY_LIMIT, SCHEDULED_NAME_MAX_LENGTH, validateScheduledSparkApplication } from './core';
import { SparkApplicationBase, SparkApplicationSpecProps } from './spark-application-base';
import { prune } from './util/json';
import { locatedError } from './util/located';
import { warn } from './util/warn';

/**
 * A ScheduledSparkApplication, or a reference to one.
 */
export interface IScheduledSparkApplication extends kplus.IResource {
  /** The namespace of the schedule, if known at synth time. */
  readonly namespace?: string;
}

/**
 * Properties of {@link ScheduledSparkApplication}: the application each run starts, plus the
 * schedule.
 */
export interface ScheduledSparkApplicationProps extends SparkApplicationSpecProps {
  /**
   * Metadata of the ScheduledSparkApplication; its labels are copied to every run.
   *
   * @default - a name generated from the construct path (at most 36 characters, so that runs
   * `<name>-<19-digit timestamp>` and their driver pods `<run>-driver` fit in 63); the chart's
   * namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * When to start a run, as a cdk8s `Cron`: `Cron.daily()`, `Cron.schedule({ minute: '0', hour: '2' })`.
   * Checked when the construct is created, the way the operator's cron parser reads it (five fields,
   * each within its range). Set exactly one of `schedule` and `scheduleExpression`.
   *
   * @default - none: `scheduleExpression` must be set
   */
  readonly schedule?: Cron;

  /**
   * When to start a run, as a standard cron string: five fields (`'0 2 * * *'`), or a descriptor
   * that `Cron` cannot express (`'@daily'`, `'@hourly'`, `'@every 1h30m'`). Checked when the construct
   * is created the way the operator reads it (robfig/cron `ParseStandard`). Set exactly one of
   * `schedule` and `scheduleExpression`.
   *
   * @default - none: `schedule` must be set
   */
  readonly scheduleExpression?: string;

  /**
   * IANA time zone of the schedule, e.g. `Europe/Berlin`. Checked against the time zone database
   * at synth time.
   *
   * @default - the operator's local time zone (like a CronJob without `timeZone`)
   */
  readonly timeZone?: string;

  /**
   * What to do when a run is due while the previous one is still running.
   *
   * Upstream has no default, and a schedule without a policy never starts another run once one
   * exists; so it is always written. FORBID is the safe choice for batch jobs: runs never overlap
   * and none is killed.
   *
   * @default kplus.ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;

  /**
   * How many completed runs to keep (`successfulRunHistoryLimit`).
   *
   * @default 1 - the operator's default, written explicitly
   */
  readonly successfulRunHistoryLimit?: number;

  /**
   * How many failed runs to keep (`failedRunHistoryLimit`).
   *
   * @default 1 - the operator's default, written explicitly
   */
  readonly failedRunHistoryLimit?: number;

  /**
   * Start no new runs.
   *
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Spark job on a cron schedule (`sparkoperator.k8s.io/v1beta2` ScheduledSparkApplication): at each
 * due time the operator creates a SparkApplication `<name>-<timestamp>` from the template.
 *
 * The template takes the same props as `SparkApplication` and is rendered by the same code. The
 * schedule is a cdk8s `Cron` (`schedule`) or a cron string (`scheduleExpression`, for descriptors
 * such as `@every 1h`); exactly one must be set.
 */
export class ScheduledSparkApplication extends SparkApplicationBase implements IScheduledSparkApplication {
  /** The resource type, for RBAC rules about ScheduledSparkApplications. */
  public readonly resourceType = api.SCHEDULED_SPARK_APPLICATION_NAMES.plural;

  /** The schedule, if it was given as a cdk8s `Cron`. */
  public readonly schedule?: Cron;

  /** The schedule as written to `spec.schedule`, from `schedule` or `scheduleExpression`. */
  public readonly scheduleExpression: string;

  /** The time zone of the schedule, if set. */
  public readonly timeZone?: string;

  /** What happens when a run is due while the previous one is still running. */
  public readonly concurrencyPolicy: kplus.ConcurrencyPolicy;

  /** @see SparkApplicationBase.apiObject */
  protected readonly apiObject: ApiObject;

  private readonly scheduledProps: ScheduledSparkApplicationProps;

  constructor(scope: Construct, id: string, props: ScheduledSparkApplicationProps) {
    super(scope, id, props);
    try {
      this.scheduledProps = props;
      this.schedule = props.schedule;
      this.scheduleExpression = scheduleExpression(props.schedule, props.scheduleExpression);
      this.timeZone = props.timeZone;
      this.concurrencyPolicy = props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID;

      const name = props.metadata?.name ?? Names.toDnsLabel(this, { maxLen: SCHEDULED_NAME_MAX_LENGTH });
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: api.GROUP_VERSION,
        kind: api.SCHEDULED_SPARK_APPLICATION_NAMES.kind,
        metadata: { ...props.metadata, name },
        spec: Lazy.any({ produce: () => this._specToSynthesize() }),
      });
      this._throwFirstProblem();
      warnAboutEveryMinuteOfAnHour(this, this.scheduleExpression);
    } catch (error) {
      throw locatedError(this, error);
    }
  }

  /** @internal */
  protected _problemsOf(spec: api.ScheduledSparkApplicationSpec): string[] {
    const scheduleProp = this.schedule !== undefined ? 'schedule' : 'scheduleExpression';
    const metadata = { name: this.name, namespace: this.namespace, labels: this._labels(this.scheduledProps.metadata?.labels) };
    const object = { ...api.SCHEDULED_SPARK_APPLICATION_TYPE_META, metadata, spec };
    return this._describeProblems(validateScheduledSparkApplication(object), 'spec.template', {
      'spec.schedule': scheduleProp,
      'spec.timeZone': 'timeZone',
      'spec.concurrencyPolicy': 'concurrencyPolicy',
      'spec.successfulRunHistoryLimit': 'successfulRunHistoryLimit',
      'spec.failedRunHistoryLimit': 'failedRunHistoryLimit',
    });
  }

  /** @internal */
  public _toKube(): api.ScheduledSparkApplicationSpec {
    const p = this.scheduledProps;
    return prune({
      schedule: this.scheduleExpression,
      timeZone: this.timeZone,
      template: this._toSpec(),
      suspend: p.suspend ? true : undefined,
      concurrencyPolicy: this.concurrencyPolicy,
      successfulRunHistoryLimit: p.successfulRunHistoryLimit ?? DEFAULT_RUN_HISTORY_LIMIT,
      failedRunHistoryLimit: p.failedRunHistoryLimit ?? DEFAULT_RUN_HISTORY_LIMIT,
    });
  }
}

/**
 * The one schedule of `schedule` and `scheduleExpression`, checked the way the operator's parser
 * reads it. Two props instead of a union: jsii has no union types, and `schedule` stays a `Cron`.
 */
function scheduleExpression(cron: Cron | undefined, expression: string | undefined): string {
  if (cron !== undefined && expression !== undefined) {
    throw new Error(`'schedule' and 'scheduleExpression' cannot both be set (got '${cron.expressionString}' and '${expression}'): set one of them`);
  }
  if (cron === undefined && expression === undefined) {
    throw new Error("A schedule is required: set 'schedule' to a cdk8s Cron (Cron.daily()) or 'scheduleExpression' to a cron string ('0 2 * * *', '@daily', '@every 1h')");
  }
  const text = cron !== undefined ? cron.expressionString : expression!;
  return text;
}

/**
 * A fixed hour with the minute left at `*` (`Cron.schedule({ hour: '2' })` is `* 2 * * *`) runs sixty
 * times in that hour: legal, and almost never meant.
 */
function warnAboutEveryMinuteOfAnHour(scope: Construct, expression: string): void {
  const fields = expression.trim().replace(/^(CRON_)?TZ=\S+\s+/, '').split(/\s+/);
  if (fields.length === 5 && fields[0] === '*' && /^\d+$/.test(fields[1])) {
    warn(scope, `schedule '${expression}' runs every minute of hour ${fields[1]} (60 runs a day): set the minute too, e.g. '0 ${fields.slice(1).join(' ')}'`);
  }
}
