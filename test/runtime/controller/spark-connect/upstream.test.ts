/**
 * Our SparkConnect controller's objects against what the upstream operator (v2.5.2, from its Go
 * module, as the benchmark runs it) created on a real API server for the same SparkConnects:
 * `test/fixtures/spark-connect/upstream.json`, captured by `test/e2e/capture-upstream-connect.ts`
 * (upstream's example unchanged, and `spark-connect-full`, the example with every field it leaves
 * out). Upstream's objects are as the API server stored them, ours as the controller sends them:
 * what the API server adds to or rewrites in every object is taken out by name below, and every
 * difference of ours is taken out by name with its reason; what is left must be equal. The same
 * differences are listed in docs/controller.md, "SparkConnect", "What differs from upstream, and why".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SparkConnect } from '../../../../src/api';
import {
  CONNECT_FINGERPRINT_LABEL, ObservedObject, connectConfigMap, connectServerPod, connectServerService, decide,
} from '../../../../src/runtime/controller/spark-connect';

const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'spark-connect', 'upstream.json'), 'utf8'));
const MASTER: string = GOLDEN.capturedWith.master;
const NAMES = ['spark-connect', 'spark-connect-full'];
const UID = '<CONNECT_UID>';

type Json = Record<string, any>;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** The captured SparkConnect `name` as the cluster stored it (the capture's uid placeholder, generation 1). */
function connectOf(name: string): SparkConnect {
  const { metadata, spec } = GOLDEN.connects[name].spark;
  return { apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', metadata: { ...metadata, uid: UID, generation: 1 }, spec: clone(spec) };
}

function theirs(name: string): { serverPod: Json; service: Json; configMap: Json; status: Json } {
  return clone(GOLDEN.connects[name]);
}

/** The fields of a core/v1 PodSecurityContext: the API server drops any other field of a pod's `securityContext`. */
const POD_SECURITY_CONTEXT_FIELDS = [
  'seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'supplementalGroups', 'supplementalGroupsPolicy',
  'fsGroup', 'sysctls', 'fsGroupChangePolicy', 'seccompProfile', 'appArmorProfile', 'seLinuxChangePolicy',
];

/**
 * What the API server does to a pod spec it stores, which ours (sent as the template is written)
 * gets too: a pod `securityContext` keeps its PodSecurityContext fields only (the example puts the
 * container fields `capabilities` and `allowPrivilegeEscalation` there; upstream's Go types drop
 * them before sending, the API server drops them from ours), and quantities are strings (`cpu: 1`
 * is stored as `"1"`).
 */
function asStored(spec: Json): Json {
  const stored = clone(spec);
  if (stored.securityContext) {
    stored.securityContext = Object.fromEntries(Object.entries(stored.securityContext).filter(([k]) => POD_SECURITY_CONTEXT_FIELDS.includes(k)));
  }
  for (const container of stored.containers ?? []) {
    for (const kind of ['requests', 'limits']) {
      const quantities = container.resources?.[kind];
      if (quantities) container.resources[kind] = Object.fromEntries(Object.entries(quantities).map(([k, v]) => [k, String(v)]));
    }
  }
  return stored;
}

/** The pod fields that the API server's defaults, its admission plugins and the scheduler add to every pod (ours gets the same). */
const POD_SERVER_FIELDS = [
  'nodeName', 'dnsPolicy', 'enableServiceLinks', 'preemptionPolicy', 'priority', 'restartPolicy', 'schedulerName',
  'terminationGracePeriodSeconds', 'tolerations', 'serviceAccountName',
];

/** Upstream's server pod without what the API server added to it (checked to be exactly that in a test below). */
function withoutServerDefaults(pod: Json): Json {
  const { status: _status, ...rest } = clone(pod);
  rest.spec = Object.fromEntries(Object.entries(rest.spec).filter(([k]) => !POD_SERVER_FIELDS.includes(k)));
  rest.spec.volumes = rest.spec.volumes
    .filter((v: Json) => !v.name.startsWith('kube-api-access-'))
    .map((v: Json) => (v.configMap ? { ...v, configMap: { ...v.configMap, defaultMode: undefined } } : v));
  rest.spec.containers = rest.spec.containers.map((c: Json) => ({
    ...c,
    terminationMessagePath: undefined,
    terminationMessagePolicy: undefined,
    volumeMounts: c.volumeMounts.filter((m: Json) => !m.name.startsWith('kube-api-access-')),
    env: c.env.map((e: Json) => (e.valueFrom?.fieldRef ? { ...e, valueFrom: { fieldRef: { fieldPath: e.valueFrom.fieldRef.fieldPath } } } : e)),
  }));
  return JSON.parse(JSON.stringify(rest));
}

/** The `--conf` settings of the server's command line, and what comes before them. */
function commandLine(pod: Json): { head: string; confs: string[] } {
  const [head, ...confs] = pod.spec.containers[0].args[0].split(' --conf ');
  return { head, confs };
}

/**
 * Upstream's settings with its Go-map runs in key order: `sparkConf`, `hadoopConf` and the
 * SparkConnect's labels (as server and as executor labels) are each written in Go's map order,
 * which is random on every build of the pod; ours are in the order of the keys as the spec writes
 * them. Each consecutive run of one map's settings is sorted so, nothing else moves.
 */
function inKeyOrder(confs: string[], connect: SparkConnect): string[] {
  const sparkConf = Object.keys(connect.spec.sparkConf ?? {});
  const hadoopConf = new Map(Object.keys(connect.spec.hadoopConf ?? {}).map((k) => [k.startsWith('spark.hadoop.') ? k : `spark.hadoop.${k}`, k]));
  const labels = Object.keys(connect.metadata.labels ?? {});
  /** The map a setting comes from, and its key there. */
  const mapOf = (conf: string): [string, string] | undefined => {
    const key = conf.slice(0, conf.indexOf('='));
    if (sparkConf.includes(key)) return ['sparkConf', key];
    if (hadoopConf.has(key)) return ['hadoopConf', hadoopConf.get(key)!];
    for (const role of ['driver', 'executor']) {
      const label = labels.find((l) => key === `spark.kubernetes.${role}.label.${l}`);
      if (label !== undefined) return [`${role} labels`, label];
    }
    return undefined;
  };
  const out: string[] = [];
  for (let i = 0; i < confs.length;) {
    const map = mapOf(confs[i])?.[0];
    let end = i + 1;
    while (map !== undefined && end < confs.length && mapOf(confs[end])?.[0] === map) end++;
    out.push(...confs.slice(i, end).sort((a, b) => {
      const [x, y] = [mapOf(a)![1], mapOf(b)![1]];
      return x < y ? -1 : x > y ? 1 : 0;
    }));
    i = end;
  }
  return out;
}

/** Ours with the two additions to the server pod taken out (tested by name below). */
function withoutOurAdditions(pod: Json): Json {
  const copy = clone(pod);
  delete copy.metadata.labels[CONNECT_FINGERPRINT_LABEL];
  delete copy.spec.containers[0].readinessProbe;
  return copy;
}

test('the golden file is upstream v2.5.2\'s, for its example and the variant with every field', () => {
  expect(GOLDEN.capturedWith).toMatchObject({ operator: 'v2.5.2' });
  expect(Object.keys(GOLDEN.connects)).toEqual(NAMES);
  expect(GOLDEN.connects['spark-connect-full'].spark.spec).toMatchObject({
    image: expect.any(String),
    sparkConf: expect.any(Object),
    hadoopConf: expect.any(Object),
    dynamicAllocation: { enabled: true },
    server: { cores: 1, memory: '1g', service: { metadata: { name: 'notebooks-connect' } } },
  });
});

describe.each(NAMES)('%s: the server pod', (name) => {
  const connect = connectOf(name);
  const ours = connectServerPod(connect, MASTER) as unknown as Json;
  const upstream = theirs(name).serverPod;

  test('what is taken out of upstream\'s is what the API server, its admission plugins and the scheduler add to any pod', () => {
    const template = GOLDEN.connects[name].spark.spec.server.template.spec;
    expect(upstream.spec).toMatchObject({
      nodeName: 'kwok-node-0',
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      serviceAccountName: template.serviceAccount,
    });
    expect(upstream.spec.tolerations.map((t: Json) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(upstream.spec.volumes.map((v: Json) => v.name)).toEqual(['spark-conf', 'kube-api-access-<generated>']);
    expect(upstream.spec.volumes[0].configMap.defaultMode).toBe(420);
    expect(upstream.spec.containers[0]).toMatchObject({ terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  });

  test('ours adds the connect-fingerprint label: a spec or label change replaces the pod (upstream builds it once)', () => {
    expect(ours.metadata.labels[CONNECT_FINGERPRINT_LABEL]).toMatch(/^[0-9a-f]{16}$/);
    expect(upstream.metadata.labels[CONNECT_FINGERPRINT_LABEL]).toBeUndefined();
  });

  test('ours adds a TCP readiness probe on 15002: Ready once clients can connect (upstream\'s is Ready when the container started)', () => {
    expect(ours.spec.containers[0].readinessProbe).toEqual({ tcpSocket: { port: 15002 }, periodSeconds: 5 });
    expect(upstream.spec.containers[0].readinessProbe).toBeUndefined();
  });

  test('the command line is upstream\'s, setting for setting, with upstream\'s Go-map runs in key order', () => {
    const mine = commandLine(ours);
    const their = commandLine(upstream);
    expect(mine.head).toBe(their.head);
    expect(mine.head).toBe(`\${SPARK_HOME}/sbin/start-connect-server.sh --master ${MASTER}`);
    expect(mine.confs).toEqual(inKeyOrder(their.confs, connect));
  });

  test('the rest is equal, once the API server has stored ours as it stored upstream\'s', () => {
    const mine = withoutOurAdditions(ours);
    const their = withoutServerDefaults(upstream);
    // The command lines are compared above.
    for (const pod of [mine, their]) pod.spec.containers[0].args = ['<compared above>'];
    expect({ ...mine, spec: asStored(mine.spec) }).toEqual(their);
  });
});

describe.each(NAMES)('%s: the Service', (name) => {
  test('is upstream\'s but for what the API server fills in (the cluster IP, the IP families, the type\'s and policies\' defaults)', () => {
    // GIVEN
    const upstream = theirs(name).service;
    const given = GOLDEN.connects[name].spark.spec.server.service?.spec ?? {};
    // THEN the API server's fields
    expect(upstream.spec).toMatchObject({
      clusterIP: '<CLUSTER_IP>',
      clusterIPs: ['<CLUSTER_IP>'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
    const { clusterIP: _a, clusterIPs: _b, internalTrafficPolicy: _c, ipFamilies: _d, ipFamilyPolicy: _e, sessionAffinity: _f, type: _g, ...rest } =
      upstream.spec;
    // AND the rest equal, the type as the user gave it
    const { status: _status, ...stored } = upstream;
    expect(connectServerService(connectOf(name))).toEqual({ ...stored, spec: { ...rest, ...given.type ? { type: given.type } : {} } });
  });
});

describe.each(NAMES)('%s: the ConfigMap', (name) => {
  test('the same object, and the same executor pod template but for the Go zero values upstream writes and the fields Kubernetes drops', () => {
    // GIVEN
    const upstream = theirs(name).configMap;
    const ours = connectConfigMap(connectOf(name));
    const theirTemplate = parse(upstream.data['executor-pod-template.yaml']);
    const ourTemplate = parse(ours.data!['executor-pod-template.yaml']);
    // THEN upstream's has the zero values of Go's types (sigs.k8s.io/yaml writes them); ours has none
    expect(theirTemplate.metadata.creationTimestamp).toBeNull();
    expect(theirTemplate.spec.containers[0].resources).toEqual({});
    delete theirTemplate.metadata.creationTimestamp;
    delete theirTemplate.spec.containers[0].resources;
    // AND ours keeps the template's fields as written; Kubernetes drops those that are no pod fields
    // from each executor pod, as upstream's Go types drop them from the file
    expect({ ...ourTemplate, spec: asStored(ourTemplate.spec) }).toEqual(theirTemplate);
    // AND the object is upstream's
    expect({ ...ours, data: undefined }).toEqual({ ...upstream, data: undefined });
  });
});

describe.each(NAMES)('%s: the status once the server pod is ready', (name) => {
  test('is upstream\'s, with the condition\'s observedGeneration', () => {
    // GIVEN our server pod as kwok made it ready (the captured pod's status) and our Service
    const connect = connectOf(name);
    const upstream = theirs(name);
    const pod = { ...connectServerPod(connect, MASTER), status: upstream.serverPod.status } as unknown as ObservedObject;
    pod.metadata.uid = 'pod-uid';
    const service = connectServerService(connect) as unknown as ObservedObject;
    // WHEN decided
    const { status } = decide(connect, { serverPod: pod, service, executors: [] }, new Date('2026-12-07T10:00:00Z'), { sparkMaster: MASTER });
    // THEN upstream's status, times aside, plus the generation the condition is about
    const time = (s: Json) => ({
      ...s, startTime: '<TIME>', lastUpdateTime: '<TIME>', conditions: s.conditions.map((c: Json) => ({ ...c, lastTransitionTime: '<TIME>' })),
    });
    expect(status.conditions![0].observedGeneration).toBe(1);
    const mine = time(status);
    delete mine.conditions[0].observedGeneration;
    expect(mine).toEqual(upstream.status);
  });
});
