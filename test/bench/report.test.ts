import { diffRequestCounts, parseRequestCounts } from '../../bench/env/request-counts';
import { FULL_SIZES, QUICK_SIZES, parseBenchArgs } from '../../bench/options';
import { cdfPoints, decades, escapeXml, renderChart } from '../../bench/report/chart';
import { BenchResults, BurstResult, SteadyResult, SubmitterKind } from '../../bench/report/results';
import { summarize } from '../../bench/report/stats';
import { formatMs, formatNumber, highestSustainedRate, isSustained, markdownTable, renderTables, requestsTable, targetLines } from '../../bench/report/table';

function burst(kind: SubmitterKind, label: string, submittedPerSecond: number, cpuSecondsPerApp: number, samples: number[]): BurstResult {
  return {
    submitter: { kind, label, workers: 10 },
    namespace: `bench-${kind}`,
    n: samples.length,
    durationSeconds: 10,
    timedOut: false,
    cost: { cpuSeconds: cpuSecondsPerApp * samples.length, cpuSecondsPerApp, peakRssMiB: 100, peakGroupRssMiB: 120 },
    controlPlane: { apiserverCpuSeconds: 1, etcdCpuSeconds: 0.5, requestsPerApp: { 'POST pods': 1 }, meanRequestMs: { 'POST pods': 3 } },
    driverPods: samples.length,
    submitted: samples.length,
    failed: 0,
    secondsToAllPods: 2,
    secondsToAllSubmitted: 2,
    podsPerSecond: submittedPerSecond,
    submittedPerSecond,
    createToPodMs: summarize(samples),
    createToSubmittedMs: summarize(samples),
    secondsToCreateAll: 1,
    failures: [],
    createToPodSamplesMs: samples,
  };
}

function results(): BenchResults {
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 60,
    quick: true,
    environment: {
      cores: 2,
      memoryGiB: 24,
      cpuModel: 'x',
      node: 'v20',
      go: 'go1.26',
      kubernetes: 'v1.37.2',
      etcd: 'v3.7.0',
      kwok: 'v0.8.0',
      upstreamOperator: 'v2.5.2',
      spark: '4.0.5',
      cdk8sSpark: '0.0.0',
      kwokNodes: 8,
    },
    bursts: [
      burst(SubmitterKind.CEILING, 'ceiling', 100, 0.005, [10, 20, 30]),
      burst(SubmitterKind.OURS, 'ours', 60, 0.01, [15, 25, 35]),
      burst(SubmitterKind.UPSTREAM, 'upstream <10>', 0.2, 12, [150_000, 170_000]),
    ],
    steady: [],
    lifecycles: [],
    held: [{ applications: 10_000, rssMiB: 150, peakRssMiB: 180, statusWrites: 0, mode: 'running' }],
    errors: [],
  };
}

describe('the API server request counters', () => {
  const text = [
    '# HELP apiserver_request_total x',
    'apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"} 7',
    'apiserver_request_total{code="409",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="",verb="POST",version="v1"} 1',
    'apiserver_request_total{code="200",component="apiserver",group="sparkoperator.k8s.io",resource="sparkapplications",subresource="status",verb="PUT",version="v1beta2"} 4',
    'apiserver_request_total{code="200",component="apiserver",resource="pods",subresource="",verb="WATCH",version="v1"} 3',
    'apiserver_request_duration_seconds_sum{component="apiserver",resource="pods",subresource="",verb="POST",version="v1"} 0.4',
  ].join('\n');

  test('are summed per verb and resource, status codes together, watches left out', () => {
    expect(parseRequestCounts(text)).toEqual({
      'POST pods': { count: 8, seconds: 0.4 },
      'PUT sparkapplications/status': { count: 4, seconds: 0 },
    });
  });

  test('a difference keeps only what changed', () => {
    const before = { 'POST pods': { count: 8, seconds: 0.4 }, 'GET pods': { count: 2, seconds: 0.1 } };
    const after = { 'POST pods': { count: 18, seconds: 0.9 }, 'GET pods': { count: 2, seconds: 0.1 } };
    const diff = diffRequestCounts(before, after);
    expect(Object.keys(diff)).toEqual(['POST pods']);
    expect(diff['POST pods'].count).toBe(10);
    expect(diff['POST pods'].seconds).toBeCloseTo(0.5);
  });
});

describe('the tables', () => {
  test('numbers and durations read as a person writes them', () => {
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(0.004567, 3)).toBe('0.0046');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(2500)).toBe('2.50 s');
    expect(formatMs(171_000)).toBe('2.9 min');
  });

  test('a Markdown table has a header, a rule and one line per row', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  test('the targets compare ours with the ceiling and upstream from the same run', () => {
    const lines = targetLines(results());
    expect(lines).toContain('- burst, ours vs ceiling (SUBMITTED per second): 60% (target >= 50%: met)');
    expect(lines).toContain('- burst, ours vs upstream (SUBMITTED per second): 300× (target >= 100×: met)');
    expect(lines).toContain('- CPU per submission, upstream / ours: 1,200× (target >= 100×: met)');
    expect(lines).toContain('- RSS with 10,000 finished applications: 150 MiB (target < 200 MB: met)');
  });

  test('a missed target says so', () => {
    const r = results();
    const slow = { ...r, bursts: [burst(SubmitterKind.CEILING, 'ceiling', 100, 0.005, [1]), burst(SubmitterKind.OURS, 'ours', 40, 0.01, [1])] };
    expect(targetLines(slow)[0]).toBe('- burst, ours vs ceiling (SUBMITTED per second): 40% (target >= 50%: MISSED)');
  });

  test('every burst row is in the table', () => {
    const table = renderTables(results());
    expect(table).toContain('| ceiling | 10 | 3 | 3 |');
    expect(table).toContain('| upstream <10> | 10 | 2 | 2 |');
    expect(table).toContain('**Memory of our controller with finished applications held in the cluster**');
  });
});

describe('the chart', () => {
  test('an empirical CDF ends at 1', () => {
    expect(cdfPoints([30, 10, 20])).toEqual([[10, 1 / 3], [20, 2 / 3], [30, 1]]);
  });

  test('decades cover the range', () => {
    expect(decades(15, 170_000)).toEqual([10, 100, 1000, 10_000, 100_000, 1_000_000]);
  });

  test('labels are escaped', () => {
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });

  test('one line per sampled series and one bar per burst, in a well-formed SVG', () => {
    const svg = renderChart(results());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('upstream &lt;10&gt;');
    expect(svg).not.toContain('NaN');
  });
});

describe('the command line', () => {
  test('no arguments: a full run of every submitter', () => {
    const o = parseBenchArgs([]);
    expect(o.quick).toBe(false);
    expect(o.sizes).toBe(FULL_SIZES);
    expect(o.only).toEqual(['ceiling', 'ours', 'upstream']);
    expect(o.phases).toEqual(['burst', 'steady', 'lifecycle', 'held']);
  });

  test('--phases picks workloads; an unknown one is refused with the names that exist', () => {
    expect(parseBenchArgs(['--phases=steady,burst']).phases).toEqual(['steady', 'burst']);
    expect(() => parseBenchArgs(['--phases=steady,soak'])).toThrow('--phases: unknown phase soak (expected burst, steady, lifecycle, held)');
  });

  test('--quick and --only', () => {
    const o = parseBenchArgs(['--quick', '--only=ours,ceiling']);
    expect(o.sizes).toBe(QUICK_SIZES);
    expect(o.only).toEqual(['ours', 'ceiling']);
  });

  test('an unknown submitter is refused with the names that exist', () => {
    expect(() => parseBenchArgs(['--only=spark'])).toThrow('--only: unknown submitter spark (expected ceiling, ours, upstream)');
  });

  test('--rates limits the steady sweep to those rates, each as long as the sweep runs one', () => {
    expect(parseBenchArgs(['--rates=50,75']).sizes.steady).toEqual([{ perSecond: 50, seconds: 30 }, { perSecond: 75, seconds: 30 }]);
    expect(parseBenchArgs(['--quick', '--rates=25']).sizes.steady).toEqual([{ perSecond: 25, seconds: 10 }]);
    expect(parseBenchArgs(['--rates=50']).sizes.burst).toBe(FULL_SIZES.burst);
  });

  test('a rate that is not a whole number per second is refused', () => {
    expect(() => parseBenchArgs(['--rates=50,2.5,0'])).toThrow('--rates: not a whole number of applications per second: 2.5, 0');
  });

  test('--profile-apiserver names the folder of the API server profiles; none are taken without it', () => {
    expect(parseBenchArgs(['--profile-apiserver=/tmp/profiles']).apiserverProfileDir).toBe('/tmp/profiles');
    expect(parseBenchArgs([]).apiserverProfileDir).toBeUndefined();
    expect(() => parseBenchArgs(['--profile-apiserver'])).toThrow('unknown argument "--profile-apiserver"');
  });

  test('an unknown argument is refused', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow('unknown argument "--fast"');
  });
});

/** A steady phase of `kind` at `rate` per second with this p99 and these quarter p50s. */
function steady(kind: SubmitterKind, rate: number, p99: number, firstQuarterP50Ms: number, lastQuarterP50Ms: number): SteadyResult {
  const b = burst(kind, kind, rate, 0.01, [10, 20, p99]);
  return {
    submitter: b.submitter,
    namespace: b.namespace,
    n: 3,
    durationSeconds: 30,
    timedOut: false,
    cost: b.cost,
    controlPlane: b.controlPlane,
    ratePerSecond: rate,
    createToPodMs: { ...summarize([10, 20, p99]), p99 },
    createToSubmittedMs: summarize([10, 20, p99]),
    firstQuarterP50Ms,
    lastQuarterP50Ms,
    failed: 0,
    createToPodSamplesMs: [10, 20, p99],
  };
}

describe('the sustained rate', () => {
  test('sustained: p99 under 1 s and no growing queue; a queue that grows is not, even with a small p99', () => {
    expect(isSustained(steady(SubmitterKind.OURS, 25, 400, 20, 30))).toBe(true);
    expect(isSustained(steady(SubmitterKind.OURS, 50, 1_000, 20, 30))).toBe(false);
    expect(isSustained(steady(SubmitterKind.OURS, 50, 900, 100, 400))).toBe(false);
    expect(isSustained({ ...steady(SubmitterKind.OURS, 25, 400, 20, 30), failed: 1 })).toBe(false);
  });

  test('the highest sustained rate of each, and the target line comparing them', () => {
    // GIVEN a sweep where the ceiling sustains 75/s and ours 50/s
    const r = {
      ...results(),
      steady: [
        steady(SubmitterKind.CEILING, 50, 200, 10, 12),
        steady(SubmitterKind.CEILING, 75, 600, 10, 20),
        steady(SubmitterKind.CEILING, 100, 9_000, 100, 5_000),
        steady(SubmitterKind.OURS, 50, 300, 10, 15),
        steady(SubmitterKind.OURS, 75, 4_000, 50, 3_000),
      ],
    };
    // THEN 75 and 50, and ours is 67 % of the ceiling: the 90 % target is missed
    expect([highestSustainedRate(r, SubmitterKind.CEILING), highestSustainedRate(r, SubmitterKind.OURS)]).toEqual([75, 50]);
    expect(targetLines(r)).toContain('- sustained rate, ours vs ceiling: 67% (50/s against 75/s; target >= 90%: MISSED)');
  });
});

describe('the API server\'s work per application', () => {
  test('GIVEN a steady phase\'s request counts THEN the table shows the chosen requests, the rest summed, and the API server\'s CPU per application', () => {
    // GIVEN ours at 50/s: 3 applications, 0.6 API-server CPU-s, and its requests per application
    const s = steady(SubmitterKind.OURS, 50, 300, 10, 15);
    const phase = {
      ...s,
      controlPlane: {
        ...s.controlPlane,
        apiserverCpuSeconds: 0.6,
        requestsPerApp: { 'POST pods': 1, 'POST services': 2, 'PUT sparkapplications/status': 1, 'POST events': 2, 'POST endpoints': 1.08, 'PUT leases': 0.07 },
      },
    };
    // WHEN the table is made
    const lines = requestsTable([phase]).split('\n');
    // THEN one row, with 0 for what was not asked and the endpoints and leases summed as the rest
    expect(lines[0]).toBe('| submitter | rate | apiserver CPU s/app | POST pods | POST configmaps | POST services | POST ipaddresses | PUT sparkapplications/status | POST events | GET sparkapplications | other requests |');
    expect(lines[2]).toBe('| ours | 50/s | 0.200 | 1.00 | 0.00 | 2.00 | 0.00 | 1.00 | 2.00 | 0.00 | 1.15 |');
  });
});
