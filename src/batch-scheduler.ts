import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as api from './api';
import {
  binaryQuantity, DNS_1123_SUBDOMAIN, DNS_LABEL_MAX_LENGTH, DNS_SUBDOMAIN_MAX_LENGTH, VOLCANO_SCHEDULER_NAME, YUNIKORN_SCHEDULER_NAME, isLabelValue,
} from './core';

/**
 * Resources a batch scheduler reserves for the whole application (`spec.batchSchedulerOptions.resources`).
 */
export interface BatchSchedulerResources {
  /**
   * CPU for the whole application, e.g. `Cpu.units(10)`.
   *
   * @default - no CPU entry
   */
  readonly cpu?: kplus.Cpu;

  /**
   * Memory for the whole application, e.g. `Size.gibibytes(40)`. Rendered in the largest binary unit
   * that represents it exactly (`40Gi`), so it must be a whole number of kibibytes.
   *
   * @default - no memory entry
   */
  readonly memory?: Size;

  /**
   * Other resources by name, as Kubernetes quantities: `{ 'nvidia.com/gpu': '4' }`. CPU and memory
   * go in `cpu` and `memory`.
   *
   * @default - none
   */
  readonly others?: { [resourceName: string]: string };
}

/**
 * Options of {@link BatchScheduler.volcano}.
 */
export interface VolcanoOptions {
  /**
   * Volcano queue the application's PodGroup is placed in (`spec.batchSchedulerOptions.queue`).
   *
   * @default - Volcano's default queue (`default`)
   */
  readonly queue?: string;

  /**
   * PriorityClass of the application's PodGroup (`spec.batchSchedulerOptions.priorityClassName`).
   *
   * @default - none: the PodGroup has no priority
   */
  readonly priorityClassName?: string;

  /**
   * Minimum resources of the application's PodGroup (`spec.batchSchedulerOptions.resources`): Volcano
   * starts the application only when this much is free.
   *
   * @default - the operator sums the requests of the driver and the initial executors
   */
  readonly resources?: BatchSchedulerResources;
}

/**
 * Options of {@link BatchScheduler.yunikorn}.
 */
export interface YuniKornOptions {
  /**
   * YuniKorn queue of the application, e.g. `root.etl` (`spec.batchSchedulerOptions.queue`). The
   * operator puts it in the `queue` label of the driver and executor pods, so it must be a valid label
   * value.
   *
   * @default - the queue YuniKorn's placement rules choose
   */
  readonly queue?: string;
}

/** The names the operator registers for its built-in integrations. */
const VOLCANO = VOLCANO_SCHEDULER_NAME;
const YUNIKORN = YUNIKORN_SCHEDULER_NAME;

/** A non-negative Kubernetes quantity (`4`, `500m`, `1.5Gi`, `1e3`). */
const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The name part of a qualified name (resource names such as `nvidia.com/gpu`). */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * The batch scheduler that places the application's pods (`spec.batchScheduler`, with
 * `spec.batchSchedulerOptions`). The operator acts on it only when it enables that scheduler
 * (`SparkOperator`'s `batchSchedulers`, flag `--enable-batch-scheduler`); otherwise the application
 * fails, saying so.
 *
 * Choose with a factory: `BatchScheduler.volcano({...})`, `BatchScheduler.yunikorn({...})`, or
 * `BatchScheduler.kubeScheduler(name)` for a scheduler listed in the operator's `--kube-scheduler-names`.
 */
export class BatchScheduler {
  /**
   * Volcano: the operator creates a PodGroup (`scheduling.volcano.sh`) for the application and
   * Volcano gang-schedules its pods.
   *
   * @param options the PodGroup's queue, priority and minimum resources
   */
  public static volcano(options: VolcanoOptions = {}): BatchScheduler {
    return new BatchScheduler(VOLCANO, {
      queue: requireName('batchScheduler.queue', options.queue, 'a Volcano queue name'),
      priorityClassName: requireName('batchScheduler.priorityClassName', options.priorityClassName, 'a PriorityClass name'),
      resources: renderResources(options.resources),
    });
  }

  /**
   * Apache YuniKorn: the operator adds YuniKorn task groups to the pods, computed from the driver
   * and executor requests, and puts the pods in the queue.
   *
   * @param options the queue
   */
  public static yunikorn(options: YuniKornOptions = {}): BatchScheduler {
    // A VolcanoOptions object passes the type check (structural typing) and plain JavaScript has none:
    // say so instead of writing fields the operator's YuniKorn integration never reads.
    const volcanoOnly = options as VolcanoOptions;
    for (const field of ['priorityClassName', 'resources'] as const) {
      if (volcanoOnly[field] !== undefined) {
        throw new Error(`'batchScheduler.${field}' is read only by Volcano: the operator's YuniKorn integration ignores it; leave it out or use BatchScheduler.volcano()`);
      }
    }
    const queue = options.queue;
    if (queue !== undefined && !isLabelValue(queue)) {
      throw new Error(`'batchScheduler.queue' must be a valid label value for YuniKorn (1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the operator puts it in the pods' 'queue' label (got ${JSON.stringify(queue)})`);
    }
    return new BatchScheduler(YUNIKORN, { queue });
  }

  /**
   * A kube-scheduler (for example one built with the scheduler-plugins coscheduling plugin) that the
   * operator knows from `--kube-scheduler-names`: the operator creates a scheduler-plugins PodGroup
   * (`scheduling.x-k8s.io`) and sets the pods' `schedulerName`. That integration reads no options.
   *
   * @param name the scheduler's name, as listed in `--kube-scheduler-names`
   */
  public static kubeScheduler(name: string): BatchScheduler {
    if (name === '') {
      throw new Error('\'batchScheduler\' kube-scheduler name must not be empty: pass a name listed in the operator\'s --kube-scheduler-names');
    }
    if (name === VOLCANO || name === YUNIKORN) {
      const factory = name === VOLCANO ? 'volcano' : 'yunikorn';
      throw new Error(`'batchScheduler' ${JSON.stringify(name)} is built into the operator: use BatchScheduler.${factory}() instead of BatchScheduler.kubeScheduler(${JSON.stringify(name)})`);
    }
    // The pods get it as `spec.schedulerName`, which Kubernetes validates as a DNS-1123 subdomain.
    if (!DNS_1123_SUBDOMAIN.test(name) || name.length > DNS_SUBDOMAIN_MAX_LENGTH) {
      throw new Error(`'batchScheduler' kube-scheduler name must be a DNS-1123 subdomain (at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit) (got ${JSON.stringify(name)})`);
    }
    return new BatchScheduler(name, undefined);
  }

  /**
   * The scheduler's name as the operator knows it (`spec.batchScheduler`), also the pods' `schedulerName`.
   */
  public readonly name: string;

  private readonly options?: api.BatchSchedulerConfiguration;

  private constructor(name: string, options: api.BatchSchedulerConfiguration | undefined) {
    this.name = name;
    const defined = options && Object.values(options).some((v) => v !== undefined);
    this.options = defined ? options : undefined;
  }

  /** @internal */
  public _toKube(): Pick<api.SparkApplicationSpec, 'batchScheduler' | 'batchSchedulerOptions'> {
    // Copies: one BatchScheduler may be shared by several applications.
    const options = this.options;
    return {
      batchScheduler: this.name,
      batchSchedulerOptions: options ? { ...options, resources: options.resources ? { ...options.resources } : undefined } : undefined,
    };
  }
}

/** Throws unless `value` is a DNS-1123 subdomain (what Kubernetes and Volcano object names are); returns it. */
function requireName(prop: string, value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DNS_1123_SUBDOMAIN.test(value) || value.length > DNS_SUBDOMAIN_MAX_LENGTH) {
    throw new Error(`'${prop}' must be ${what}: a DNS-1123 subdomain (at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit) (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** The resources as a core/v1 ResourceList, checked. */
function renderResources(resources: BatchSchedulerResources | undefined): Record<string, string> | undefined {
  if (!resources) return undefined;
  const list: Record<string, string> = {};
  if (resources.cpu) {
    const amount = resources.cpu.amount;
    if (!QUANTITY.test(amount) || parseFloat(amount) <= 0) {
      throw new Error(`'batchScheduler.resources.cpu' must be a positive amount of CPU (got ${JSON.stringify(amount)})`);
    }
    list.cpu = amount;
  }
  if (resources.memory) {
    list.memory = memoryQuantity(resources.memory);
  }
  for (const [name, quantity] of Object.entries(resources.others ?? {})) {
    if (name === 'cpu' || name === 'memory') {
      throw new Error(`'batchScheduler.resources.others' must not contain ${JSON.stringify(name)}: use 'resources.${name}' instead`);
    }
    if (!isResourceName(name)) {
      throw new Error(`'batchScheduler.resources.others' keys must be resource names such as "nvidia.com/gpu" or "ephemeral-storage" (got ${JSON.stringify(name)})`);
    }
    if (!QUANTITY.test(quantity)) {
      throw new Error(`'batchScheduler.resources.others[${JSON.stringify(name)}]' must be a non-negative Kubernetes quantity such as "4", "500m" or "1Gi" (got ${JSON.stringify(quantity)})`);
    }
    list[name] = quantity;
  }
  return Object.keys(list).length > 0 ? list : undefined;
}

/** A positive size as a Kubernetes quantity in the largest binary unit that represents it exactly. */
function memoryQuantity(size: Size): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(kib) || kib <= 0) {
    throw new Error(`'batchScheduler.resources.memory' must be a positive whole number of kibibytes (got ${kib} KiB)`);
  }
  return binaryQuantity(kib);
}

/** A Kubernetes qualified name: an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63 characters. */
function isResourceName(name: string): boolean {
  const parts = name.split('/');
  if (parts.length > 2) return false;
  const [prefix, local] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (!DNS_1123_SUBDOMAIN.test(prefix) || prefix.length > DNS_SUBDOMAIN_MAX_LENGTH)) return false;
  return QUALIFIED_NAME_PART.test(local) && local.length <= DNS_LABEL_MAX_LENGTH;
}
