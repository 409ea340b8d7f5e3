import { establishedPeers, parseMachineCpu } from '../../bench/env/proc';
import { readCounter, readHistogram } from '../../bench/env/prometheus-text';
import { summarize } from '../../bench/report/stats';
import { WebhookBenchResults, WebhookPhaseResult, formatHistogram, formatRatio, renderWebhookTables } from '../../bench/report/webhook';
import { openLoopSchedule } from '../../bench/webhook/schedule';

const EXPOSITION = [
  '# HELP webhook_admission_duration_seconds Time from an AdmissionReview\'s arrival to its answer',
  '# TYPE webhook_admission_duration_seconds histogram',
  'webhook_admission_duration_seconds_bucket{le="0.001",kind="SparkApplication",webhook="mutate"} 7',
  'webhook_admission_duration_seconds_bucket{le="+Inf",kind="SparkApplication",webhook="mutate"} 8',
  'webhook_admission_duration_seconds_sum{kind="SparkApplication",webhook="mutate"} 0.004',
  'webhook_admission_duration_seconds_count{kind="SparkApplication",webhook="mutate"} 8',
  'webhook_admission_duration_seconds_bucket{le="0.001",kind="SparkApplication",webhook="validate"} 3',
  'webhook_admission_duration_seconds_bucket{le="+Inf",kind="SparkApplication",webhook="validate"} 5',
  'webhook_admission_duration_seconds_sum{kind="SparkApplication",webhook="validate"} 0.02',
  'webhook_admission_duration_seconds_count{kind="SparkApplication",webhook="validate"} 5',
  'webhook_authorization_cache_lookups_total{result="hit"} 40',
  'webhook_authorization_cache_lookups_total{result="miss"} 2',
  'webhook_admission_requests_total{kind="SparkApplication",webhook="validate",operation="CREATE",result="allowed"} 4',
  'webhook_admission_requests_total{kind="SparkApplication",webhook="validate",operation="CREATE",result="refused"} 1',
  'apiserver_admission_webhook_admission_duration_seconds_bucket{name="validate.example",operation="CREATE",rejected="false",type="validating",le="0.005"} 2',
  'apiserver_admission_webhook_admission_duration_seconds_bucket{name="validate.example",operation="CREATE",rejected="false",type="validating",le="+Inf"} 3',
  'apiserver_admission_webhook_admission_duration_seconds_count{name="validate.example",operation="CREATE",rejected="false",type="validating"} 3',
  'apiserver_admission_webhook_admission_duration_seconds_sum{name="validate.example",operation="CREATE",rejected="false",type="validating"} 0.03',
  'apiserver_admission_webhook_admission_duration_seconds_bucket{name="validate.example",operation="CREATE",rejected="true",type="validating",le="0.005"} 1',
  'apiserver_admission_webhook_admission_duration_seconds_bucket{name="validate.example",operation="CREATE",rejected="true",type="validating",le="+Inf"} 1',
  'apiserver_admission_webhook_admission_duration_seconds_count{name="validate.example",operation="CREATE",rejected="true",type="validating"} 1',
  'apiserver_admission_webhook_admission_duration_seconds_sum{name="validate.example",operation="CREATE",rejected="true",type="validating"} 0.001',
  '',
].join('\n');

describe('reading a Prometheus exposition', () => {
  test('a histogram of the series with the labels asked for, buckets ascending with +Inf last', () => {
    // WHEN
    const h = readHistogram(EXPOSITION, 'webhook_admission_duration_seconds', { kind: 'SparkApplication', webhook: 'validate' });
    // THEN
    expect(h).toEqual({ buckets: [{ le: 0.001, count: 3 }, { le: Infinity, count: 5 }], sum: 0.02, count: 5 });
  });

  test('series that differ in labels not asked for are summed bucket by bucket', () => {
    // WHEN
    const h = readHistogram(EXPOSITION, 'apiserver_admission_webhook_admission_duration_seconds', { name: 'validate.example', operation: 'CREATE' });
    // THEN
    expect(h.buckets).toEqual([{ le: 0.005, count: 3 }, { le: Infinity, count: 4 }]);
    expect(h.count).toBe(4);
    expect(h.sum).toBeCloseTo(0.031);
  });

  test('a histogram no series matches has no observations', () => {
    expect(readHistogram(EXPOSITION, 'webhook_admission_duration_seconds', { webhook: 'other' })).toEqual({ buckets: [], sum: 0, count: 0 });
  });

  test('a counter is summed over the series with the labels asked for', () => {
    expect(readCounter(EXPOSITION, 'webhook_authorization_cache_lookups_total', { result: 'hit' })).toBe(40);
    expect(readCounter(EXPOSITION, 'webhook_admission_requests_total', { kind: 'SparkApplication', webhook: 'validate' })).toBe(5);
    expect(readCounter(EXPOSITION, 'webhook_admission_requests_total', { webhook: 'mutate' })).toBe(0);
  });
});

describe('openLoopSchedule', () => {
  test('10 a second for 2 s are 20 starts 100 ms apart, the first at 0', () => {
    // WHEN
    const schedule = openLoopSchedule(10, 2);
    // THEN
    expect(schedule).toHaveLength(20);
    expect(schedule[0]).toBe(0);
    expect(schedule[1]).toBe(100);
    expect(schedule[19]).toBe(1900);
  });

  test('a rate that is not positive is refused with the value', () => {
    expect(() => openLoopSchedule(0, 5)).toThrow('the rate must be a positive number of requests a second (got 0)');
    expect(() => openLoopSchedule(10, NaN)).toThrow('the duration must be a positive number of seconds (got NaN)');
  });
});

describe('reading /proc', () => {
  test('the machine\'s busy seconds leave out idle and I/O wait', () => {
    // GIVEN user nice system idle iowait irq softirq steal guest guest_nice, in ticks of 10 ms
    const text = 'cpu  1000 100 500 8000 200 10 40 50 0 0\ncpu0 500 50 250 4000 100 5 20 25 0 0\n';
    // WHEN
    const cpu = parseMachineCpu(text);
    // THEN
    expect(cpu.busySeconds).toBeCloseTo(17);
    expect(cpu.totalSeconds).toBeCloseTo(99);
  });

  test('only established connections to the local port are its peers', () => {
    // GIVEN a listener on 127.0.0.1:8443 (0x20FB), two connections to it, one closing, and the client side of one
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:20FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   1: 0100007F:20FB 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1',
      '   2: 0100007F:20FB 0100007F:D432 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1',
      '   3: 0100007F:20FB 0100007F:D433 06 00000000:00000000 00:00000000 00000000     0        0 4 1 0 20 4 30 10 -1',
      '   4: 0100007F:D431 0100007F:20FB 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0 20 4 30 10 -1',
    ].join('\n');
    // WHEN / THEN
    expect(establishedPeers(text, 8443)).toEqual([0xD431, 0xD432]);
  });

  test('an IPv4 connection to a socket listening on every address is read from tcp6', () => {
    const text = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0000000000000000FFFF00000100007F:20FB 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 7 1 0 20 4 30 10 -1',
    ].join('\n');
    expect(establishedPeers(text, 8443)).toEqual([0xD431]);
  });
});

function phase(label: string, webhook: boolean, clientMs: number[], extra: Partial<WebhookPhaseResult> = {}): WebhookPhaseResult {
  const histogram = { count: 10, p50: 0.5, p99: 0.99, p50AtMost: 1, p99AtMost: 5, mean: 0.2 };
  const none = { count: 0, p50: NaN, p99: NaN, p50AtMost: NaN, p99AtMost: NaN, mean: NaN };
  return {
    label,
    webhook,
    ratePerSecond: 10,
    seconds: 1,
    users: 4,
    sent: clientMs.length,
    failed: 0,
    statuses: { 201: clientMs.length },
    achievedPerSecond: 10,
    maxSendLagMs: 1,
    clientMs: summarize(clientMs),
    webhookCalls: webhook ? { mutate: clientMs.length, validate: clientMs.length } : { mutate: 0, validate: 0 },
    webhookMs: webhook ? { mutate: histogram, validate: histogram } : { mutate: none, validate: none },
    apiServerWebhookCallMs: webhook ? { mutate: histogram, validate: histogram } : { mutate: none, validate: none },
    authorizationCache: webhook ? { hit: clientMs.length - 1, miss: 1 } : { hit: 0, miss: 0 },
    cpuSeconds: { apiServer: 1, etcd: 0.1, webhook: webhook ? 0.5 : 0, client: 0.4, machineBusy: 3, machineCapacity: 4 },
    webhookConnections: { peakEstablished: webhook ? 2 : 0, distinctSeen: webhook ? 3 : 0 },
    ...extra,
  };
}

describe('the webhook report', () => {
  const results: WebhookBenchResults = {
    startedAt: '2026-12-07T05:00:00.000Z',
    durationSeconds: 100,
    environment: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 24, node: 'v20.0.0', kubernetes: 'v1.37.2', etcd: 'v3.7.0' },
    sideEffectsNone: true,
    rates: [{ ratePerSecond: 10, without: phase('without webhook', false, [4, 4, 4, 8]), with: phase('with webhook', true, [6, 6, 6, 12]) }],
    cache: { hit: phase('cached user', true, [5, 5]), miss: phase('never-seen users', true, [9, 9]) },
  };

  test('the added latency is with minus without, and the ratio with over without', () => {
    // WHEN
    const md = renderWebhookTables(results);
    // THEN
    expect(md).toContain('| 10/s | 4.00 ms / 8.00 ms | 6.00 ms / 12.0 ms | 2.00 ms / 4.00 ms | ×1.50 / ×1.50 | 4 + 4 (0) |');
  });

  test('the machine is named as the run recorded it', () => {
    expect(renderWebhookTables(results)).toContain('Test CPU, 2 cores, 24 GiB; Node v20.0.0; Kubernetes v1.37.2, etcd v3.7.0.');
  });

  test('each phase has its CPU row: per 1000 requests, the machine, others, connections', () => {
    // 1 s of API server CPU over 4 requests is 250 s per 1000; the machine did 3 s, ours 2.0 of them.
    expect(renderWebhookTables(results)).toContain('| with webhook, 10/s | 250 / 125 / 100 | 3.00 of 4.00 (75 %) | 1.00 | 2 / ≥3 |');
  });

  test('a histogram is shown as the bucket bounds of p50 and p99 and its exact mean', () => {
    expect(formatHistogram({ count: 3, p50: 0.5, p99: 0.99, p50AtMost: 1, p99AtMost: 5, mean: 0.123 })).toBe('≤1.00 ms / ≤5.00 ms (mean 0.12 ms)');
    expect(formatHistogram({ count: 3, p50: 0.5, p99: 10, p50AtMost: 1, p99AtMost: Infinity, mean: 20 })).toBe('≤1.00 ms / > last bucket (mean 20.0 ms)');
    expect(formatHistogram({ count: 0, p50: NaN, p99: NaN, p50AtMost: NaN, p99AtMost: NaN, mean: NaN })).toBe('—');
  });

  test('a ratio without a baseline is a dash', () => {
    expect(formatRatio(5, NaN)).toBe('—');
    expect(formatRatio(5, 2)).toBe('×2.50');
  });
});
