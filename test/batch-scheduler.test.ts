import { Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchScheduler, ScheduledSparkApplication, SparkApplication, VolcanoOptions, YuniKornOptions,
} from '../src';
import { crdValidationErrors } from './util/crd-validator';
import { SPARK_PI, synthApp } from './util/spark-pi';

/** The spec of the one SparkApplication in a chart, checked against the CRD schema on the way. */
function synthSpec(chart: Chart): any {
  return synthApp(chart).spec;
}

/** The spec rendered for `batchScheduler`. */
function specWith(batchScheduler: BatchScheduler | undefined): any {
  const chart = Testing.chart();
  new SparkApplication(chart, 'app', { ...SPARK_PI, batchScheduler });
  return synthSpec(chart);
}

describe('BatchScheduler', () => {
  describe('rendering', () => {
    test('without a batch scheduler the spec has neither batchScheduler nor batchSchedulerOptions', () => {
      // WHEN
      const spec = specWith(undefined);

      // THEN
      expect(spec).not.toHaveProperty('batchScheduler');
      expect(spec).not.toHaveProperty('batchSchedulerOptions');
    });

    test('volcano() without options renders only the scheduler name', () => {
      // WHEN
      const spec = specWith(BatchScheduler.volcano());

      // THEN
      expect(spec.batchScheduler).toBe('volcano');
      expect(spec).not.toHaveProperty('batchSchedulerOptions');
    });

    test('volcano() renders queue, priorityClassName and typed resources as Kubernetes quantities', () => {
      // WHEN
      const spec = specWith(BatchScheduler.volcano({
        queue: 'etl',
        priorityClassName: 'batch-high',
        resources: { cpu: kplus.Cpu.units(10), memory: Size.gibibytes(40), others: { 'nvidia.com/gpu': '4' } },
      }));

      // THEN
      expect(spec.batchScheduler).toBe('volcano');
      expect(spec.batchSchedulerOptions).toEqual({
        queue: 'etl',
        priorityClassName: 'batch-high',
        resources: { 'cpu': '10', 'memory': '40Gi', 'nvidia.com/gpu': '4' },
      });
    });

    test('volcano() renders millicores as given and memory in the largest exact binary unit', () => {
      // WHEN
      const mebibytes = specWith(BatchScheduler.volcano({ resources: { cpu: kplus.Cpu.millis(1500), memory: Size.mebibytes(1536) } }));
      const kibibytes = specWith(BatchScheduler.volcano({ resources: { memory: Size.kibibytes(1536) } }));

      // THEN
      expect(mebibytes.batchSchedulerOptions).toEqual({ resources: { cpu: '1500m', memory: '1536Mi' } });
      expect(kibibytes.batchSchedulerOptions).toEqual({ resources: { memory: '1536Ki' } });
    });

    test('volcano() with empty resources renders no resources', () => {
      // WHEN
      const spec = specWith(BatchScheduler.volcano({ queue: 'etl', resources: { others: {} } }));

      // THEN
      expect(spec.batchSchedulerOptions).toEqual({ queue: 'etl' });
    });

    test('yunikorn() without options renders only the scheduler name', () => {
      // WHEN
      const spec = specWith(BatchScheduler.yunikorn());

      // THEN
      expect(spec.batchScheduler).toBe('yunikorn');
      expect(spec).not.toHaveProperty('batchSchedulerOptions');
    });

    test('yunikorn() renders the queue', () => {
      // WHEN
      const spec = specWith(BatchScheduler.yunikorn({ queue: 'root.etl' }));

      // THEN
      expect(spec.batchScheduler).toBe('yunikorn');
      expect(spec.batchSchedulerOptions).toEqual({ queue: 'root.etl' });
    });

    test('kubeScheduler() renders the scheduler name and no options', () => {
      // WHEN
      const spec = specWith(BatchScheduler.kubeScheduler('scheduler-plugins-scheduler'));

      // THEN
      expect(spec.batchScheduler).toBe('scheduler-plugins-scheduler');
      expect(spec).not.toHaveProperty('batchSchedulerOptions');
    });

    test('name is the scheduler name the operator knows', () => {
      expect(BatchScheduler.volcano().name).toBe('volcano');
      expect(BatchScheduler.yunikorn().name).toBe('yunikorn');
      expect(BatchScheduler.kubeScheduler('coscheduler').name).toBe('coscheduler');
    });

    test('a ScheduledSparkApplication carries the batch scheduler in its template', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new ScheduledSparkApplication(chart, 'nightly', {
        ...SPARK_PI,
        schedule: Cron.schedule({ minute: '0', hour: '2' }),
        batchScheduler: BatchScheduler.volcano({ queue: 'nightly' }),
      });

      // THEN
      const [obj] = Testing.synth(chart);
      expect(crdValidationErrors(obj)).toEqual([]);
      expect(obj.spec.template.batchScheduler).toBe('volcano');
      expect(obj.spec.template.batchSchedulerOptions).toEqual({ queue: 'nightly' });
    });
  });

  describe('validation', () => {
    test.each<[string, () => BatchScheduler, string]>([
      ['an empty kube-scheduler name', () => BatchScheduler.kubeScheduler(''),
        '\'batchScheduler\' kube-scheduler name must not be empty: pass a name listed in the operator\'s --kube-scheduler-names'],
      ['a kube-scheduler name that is not a DNS-1123 subdomain', () => BatchScheduler.kubeScheduler('My_Scheduler'),
        '\'batchScheduler\' kube-scheduler name must be a DNS-1123 subdomain (at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit) (got "My_Scheduler")'],
      ['"volcano" as a kube-scheduler name', () => BatchScheduler.kubeScheduler('volcano'),
        '\'batchScheduler\' "volcano" is built into the operator: use BatchScheduler.volcano() instead of BatchScheduler.kubeScheduler("volcano")'],
      ['"yunikorn" as a kube-scheduler name', () => BatchScheduler.kubeScheduler('yunikorn'),
        '\'batchScheduler\' "yunikorn" is built into the operator: use BatchScheduler.yunikorn() instead of BatchScheduler.kubeScheduler("yunikorn")'],
      ['an empty Volcano queue', () => BatchScheduler.volcano({ queue: '' }),
        '\'batchScheduler.queue\' must be a Volcano queue name: a DNS-1123 subdomain (at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit) (got "")'],
      ['a Volcano queue that no Queue object can be named', () => BatchScheduler.volcano({ queue: 'ETL queue' }),
        '\'batchScheduler.queue\' must be a Volcano queue name: a DNS-1123 subdomain (at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit) (got "ETL queue")'],
      ['a priorityClassName that no PriorityClass can be named', () => BatchScheduler.volcano({ priorityClassName: 'High' }),
        '\'batchScheduler.priorityClassName\' must be a PriorityClass name: a DNS-1123 subdomain (at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit) (got "High")'],
      ['zero CPU', () => BatchScheduler.volcano({ resources: { cpu: kplus.Cpu.units(0) } }),
        '\'batchScheduler.resources.cpu\' must be a positive amount of CPU (got "0")'],
      ['negative CPU', () => BatchScheduler.volcano({ resources: { cpu: kplus.Cpu.millis(-500) } }),
        '\'batchScheduler.resources.cpu\' must be a positive amount of CPU (got "-500m")'],
      ['zero memory', () => BatchScheduler.volcano({ resources: { memory: Size.mebibytes(0) } }),
        '\'batchScheduler.resources.memory\' must be a positive whole number of kibibytes (got 0 KiB)'],
      ['memory that is not whole kibibytes', () => BatchScheduler.volcano({ resources: { memory: Size.kibibytes(0.5) } }),
        '\'batchScheduler.resources.memory\' must be a positive whole number of kibibytes (got 0.5 KiB)'],
      ['cpu among the other resources', () => BatchScheduler.volcano({ resources: { others: { cpu: '4' } } }),
        '\'batchScheduler.resources.others\' must not contain "cpu": use \'resources.cpu\' instead'],
      ['memory among the other resources', () => BatchScheduler.volcano({ resources: { others: { memory: '8Gi' } } }),
        '\'batchScheduler.resources.others\' must not contain "memory": use \'resources.memory\' instead'],
      ['another resource whose name is not a resource name', () => BatchScheduler.volcano({ resources: { others: { 'nvidia gpu': '1' } } }),
        '\'batchScheduler.resources.others\' keys must be resource names such as "nvidia.com/gpu" or "ephemeral-storage" (got "nvidia gpu")'],
      ['another resource whose prefix is not a DNS-1123 subdomain', () => BatchScheduler.volcano({ resources: { others: { 'NVIDIA.com/gpu': '1' } } }),
        '\'batchScheduler.resources.others\' keys must be resource names such as "nvidia.com/gpu" or "ephemeral-storage" (got "NVIDIA.com/gpu")'],
      ['another resource whose name has two slashes', () => BatchScheduler.volcano({ resources: { others: { 'example.com/gpu/a100': '1' } } }),
        '\'batchScheduler.resources.others\' keys must be resource names such as "nvidia.com/gpu" or "ephemeral-storage" (got "example.com/gpu/a100")'],
      ['another resource whose amount is not a quantity', () => BatchScheduler.volcano({ resources: { others: { 'nvidia.com/gpu': 'four' } } }),
        '\'batchScheduler.resources.others["nvidia.com/gpu"]\' must be a non-negative Kubernetes quantity such as "4", "500m" or "1Gi" (got "four")'],
      ['another resource with a negative amount', () => BatchScheduler.volcano({ resources: { others: { 'nvidia.com/gpu': '-1' } } }),
        '\'batchScheduler.resources.others["nvidia.com/gpu"]\' must be a non-negative Kubernetes quantity such as "4", "500m" or "1Gi" (got "-1")'],
      ['an empty YuniKorn queue', () => BatchScheduler.yunikorn({ queue: '' }),
        '\'batchScheduler.queue\' must be a valid label value for YuniKorn (1 to 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit): the operator puts it in the pods\' \'queue\' label (got "")'],
      ['a YuniKorn queue that is not a label value', () => BatchScheduler.yunikorn({ queue: 'root/etl' }),
        '\'batchScheduler.queue\' must be a valid label value for YuniKorn (1 to 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit): the operator puts it in the pods\' \'queue\' label (got "root/etl")'],
      ['a YuniKorn queue longer than a label value', () => BatchScheduler.yunikorn({ queue: `root.${'q'.repeat(59)}` }),
        `'batchScheduler.queue' must be a valid label value for YuniKorn (1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the operator puts it in the pods' 'queue' label (got "root.${'q'.repeat(59)}")`],
      ['a priorityClassName for YuniKorn, which ignores it', () => BatchScheduler.yunikorn({ queue: 'root.etl', priorityClassName: 'high' } as VolcanoOptions as YuniKornOptions),
        '\'batchScheduler.priorityClassName\' is read only by Volcano: the operator\'s YuniKorn integration ignores it; leave it out or use BatchScheduler.volcano()'],
      ['resources for YuniKorn, which computes its own', () => BatchScheduler.yunikorn({ resources: { cpu: kplus.Cpu.units(4) } } as VolcanoOptions as YuniKornOptions),
        '\'batchScheduler.resources\' is read only by Volcano: the operator\'s YuniKorn integration ignores it; leave it out or use BatchScheduler.volcano()'],
    ])('rejects %s', (_, create, message) => {
      expect(create).toThrow(new Error(message));
    });

    test('accepts a YuniKorn queue of exactly 63 characters', () => {
      // GIVEN
      const queue = `root.${'q'.repeat(58)}`;

      // WHEN
      const spec = specWith(BatchScheduler.yunikorn({ queue }));

      // THEN
      expect(spec.batchSchedulerOptions).toEqual({ queue });
    });

    test('accepts other resources with unprefixed names and fractional binary quantities', () => {
      // WHEN
      const spec = specWith(BatchScheduler.volcano({ resources: { others: { 'hugepages-2Mi': '1Gi', 'ephemeral-storage': '1.5Gi' } } }));

      // THEN
      expect(spec.batchSchedulerOptions).toEqual({ resources: { 'hugepages-2Mi': '1Gi', 'ephemeral-storage': '1.5Gi' } });
    });
  });
});
