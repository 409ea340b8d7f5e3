/**
 * The pure core of the SparkConnect controller: the object as read from the cluster, its server
 * pod, Service and executor pods as the caches hold them, and the time in; the status and the
 * actions out. The server pod and the Service are kept there: a pod that is gone is created again,
 * one that ended or was built from an older spec is replaced. See `docs/controller.md`, "SparkConnect".
 */
import { CONNECT_EVENT_REASONS, normal, warning } from './events';
import {
  CONNECT_FINGERPRINT_LABEL, connectConfigMap, connectFingerprint, connectServerPod, connectServerService,
} from './objects';
import { ConnectAction, ConnectDecideOptions, ConnectDecision, ConnectObserved, ObservedObject } from './types';
import { Condition, SPARK_CONNECT_CONDITIONS, SparkConnect, SparkConnectState, SparkConnectStatus } from '../../../api';
import {
  canonicalJson, connectServerPodName, connectServiceName, formatTime, invalidMessage, isOwnedBy, protectedServiceAccountProblems,
  validateSparkConnect,
} from '../../../core';

/** The reason of the condition when the SparkConnect cannot be served at all (ours: upstream has none). */
export const CONNECT_FAILED_REASON = 'ServerPodFailed';

/** What the server pod's state says, before it becomes the status. */
interface ServerState {
  readonly state: Exclude<SparkConnectState, ''>;
  /** Why the server is not ready (the condition's message). */
  readonly why?: string;
}

function isPodReady(pod: ObservedObject): boolean {
  const conditions: Array<{ type?: string; status?: string }> = Array.isArray(pod.status?.conditions) ? pod.status!.conditions : [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The executor pods by phase in lower case, as upstream counts them (`running: 2`). */
function executorCounts(executors: readonly ObservedObject[]): Record<string, number> | undefined {
  const counts: Record<string, number> = {};
  for (const pod of executors) {
    const phase = (typeof pod.status?.phase === 'string' && pod.status.phase !== '' ? pod.status.phase : 'Unknown').toLowerCase();
    counts[phase] = (counts[phase] ?? 0) + 1;
  }
  return Object.keys(counts).length > 0 ? counts : undefined;
}

/** Why `connect` cannot be served as it is written, or undefined. */
function invalidity(connect: SparkConnect, options: ConnectDecideOptions): string | undefined {
  const problems = [
    ...validateSparkConnect(connect),
    ...protectedServiceAccountProblems(connect, connect.metadata.namespace ?? '', options.protectedServiceAccounts ?? []),
  ];
  return problems.length === 0 ? undefined : invalidMessage('SparkConnect', problems);
}

/** The server pod's state, and what to do about the pod. */
function serverPod(connect: SparkConnect, observed: ConnectObserved, options: ConnectDecideOptions, actions: ConnectAction[]): ServerState {
  const name = connectServerPodName(connect.metadata.name!);
  const pod = observed.serverPod;
  const previous = connect.status?.state;
  if (!pod) {
    if (previous === 'Ready' || previous === 'NotReady') {
      actions.push(warning(CONNECT_EVENT_REASONS.serverPodLost, `server pod ${name} is gone; creating it again`));
    }
    actions.push({ type: 'applyConfigMap', configMap: connectConfigMap(connect) });
    actions.push({ type: 'createServerPod', pod: connectServerPod(connect, options.sparkMaster) });
    actions.push(normal(CONNECT_EVENT_REASONS.serverPodCreated, `created server pod ${name}`));
    return { state: 'Provisioning', why: 'the server pod is being created' };
  }
  if (!isOwnedBy(pod, connect.metadata.uid ?? '')) {
    return { state: 'Failed', why: `pod ${name} already exists and does not belong to this SparkConnect: delete it or rename the SparkConnect` };
  }
  if (pod.metadata.deletionTimestamp) {
    // Not deleted by this controller: it would have said Provisioning when it did.
    if (previous === 'Ready' || previous === 'NotReady') {
      actions.push(warning(CONNECT_EVENT_REASONS.serverPodLost, `server pod ${name} is being deleted; it will be created again`));
    }
    return { state: 'Provisioning', why: `waiting for the previous server pod ${name} to terminate` };
  }
  const phase = pod.status?.phase;
  if (pod.metadata.labels?.[CONNECT_FINGERPRINT_LABEL] !== connectFingerprint(connect)) {
    actions.push({ type: 'deleteServerPod', name, uid: pod.metadata.uid! });
    actions.push(normal(CONNECT_EVENT_REASONS.specChanged, `the spec or labels changed: replacing server pod ${name}`));
    return { state: 'Provisioning', why: 'the server pod is being replaced after a spec change' };
  }
  if (phase === 'Failed' || phase === 'Succeeded') {
    const reason = [pod.status?.reason, pod.status?.message].filter((s) => typeof s === 'string' && s !== '').join(': ');
    actions.push({ type: 'deleteServerPod', name, uid: pod.metadata.uid! });
    actions.push(warning(CONNECT_EVENT_REASONS.serverPodEnded, `server pod ${name} ended (${phase}${reason ? `, ${reason}` : ''}); replacing it`));
    return { state: 'Provisioning', why: `the server pod ended (${phase}) and is being replaced` };
  }
  if (isPodReady(pod)) return { state: 'Ready' };
  const message = typeof pod.status?.message === 'string' ? pod.status.message : '';
  return phase === 'Running' ? { state: 'NotReady', why: message } : { state: 'Provisioning', why: message || `the server pod is ${phase ?? 'Pending'}` };
}

/** The one condition upstream writes, moved only when its status changes (as `meta.SetStatusCondition`). */
function serverPodReadyCondition(connect: SparkConnect, server: ServerState, now: Date): Condition {
  const ready = server.state === 'Ready';
  const { reasons } = SPARK_CONNECT_CONDITIONS;
  const wanted = {
    type: SPARK_CONNECT_CONDITIONS.serverPodReady,
    status: ready ? 'True' as const : 'False' as const,
    ...connect.metadata.generation !== undefined ? { observedGeneration: connect.metadata.generation } : {},
    reason: ready ? reasons.ready : server.state === 'Failed' ? CONNECT_FAILED_REASON : reasons.notReady,
    // Upstream's words; ours say why when the pod does not.
    message: ready ? 'Server pod is ready' : `Server pod is not ready: ${server.why ?? ''}`,
  };
  const before = (connect.status?.conditions ?? []).find((c) => c.type === wanted.type);
  const lastTransitionTime = before && before.status === wanted.status && before.lastTransitionTime ? before.lastTransitionTime : formatTime(now);
  return { ...wanted, lastTransitionTime };
}

/** The Event of a state change, if it has one (Provisioning is told by the pod's own Events). */
function stateEvent(connect: SparkConnect, server: ServerState): ConnectAction | undefined {
  if (connect.status?.state === server.state) return undefined;
  const name = connectServerPodName(connect.metadata.name!);
  if (server.state === 'Ready') return normal(CONNECT_EVENT_REASONS.ready, `server pod ${name} is ready`);
  if (server.state === 'NotReady') return warning(CONNECT_EVENT_REASONS.notReady, `server pod ${name} is not ready${server.why ? `: ${server.why}` : ''}`);
  if (server.state === 'Failed') return warning(CONNECT_EVENT_REASONS.failed, server.why ?? 'failed');
  return undefined;
}

/** `status` without the time of its last write, for telling whether anything changed. */
function withoutUpdateTime(status: SparkConnectStatus | undefined): unknown {
  const { lastUpdateTime: _, ...rest } = status ?? {};
  return rest;
}

/** Decides what to do for `connect`, given what the caches show of its server pod, Service and executors. */
export function decide(connect: SparkConnect, observed: ConnectObserved, now: Date, options: ConnectDecideOptions): ConnectDecision {
  const stored = connect.status ?? {};
  // Being deleted: the garbage collector takes the pod, the Service and the ConfigMap (no finalizers).
  if (connect.metadata.deletionTimestamp) return { status: stored, actions: [] };
  const actions: ConnectAction[] = [];
  const serviceName = connectServiceName(connect);
  const invalid = invalidity(connect, options);
  let server: ServerState;
  if (invalid !== undefined || observed.refused !== undefined) {
    // Nothing is created; a server of an earlier valid spec keeps running until the spec is fixed.
    server = { state: 'Failed', why: invalid ?? observed.refused };
  } else {
    server = serverPod(connect, observed, options, actions);
    if (!observed.service) {
      actions.push({ type: 'createService', service: connectServerService(connect) });
    } else if (!isOwnedBy(observed.service, connect.metadata.uid ?? '')) {
      server = { state: 'Failed', why: `Service ${serviceName} already exists and does not belong to this SparkConnect: delete it or name another in spec.server.service.metadata.name` };
    }
  }
  const event = stateEvent(connect, server);
  if (event) actions.push(event);
  const pod = observed.serverPod;
  const serverPodName = connectServerPodName(connect.metadata.name!);
  const condition = serverPodReadyCondition(connect, server, now);
  const status: SparkConnectStatus = {
    conditions: [condition],
    state: server.state,
    server: {
      ...pod || actions.some((a) => a.type === 'createServerPod') ? { podName: serverPodName } : {},
      ...pod && typeof pod.status?.podIP === 'string' && pod.status.podIP !== '' && !pod.metadata.deletionTimestamp ? { podIp: pod.status.podIP } : {},
      ...invalid === undefined ? { serviceName } : {},
    },
    ...executorCounts(observed.executors) ? { executors: executorCounts(observed.executors) } : {},
    startTime: stored.startTime ?? formatTime(now),
  };
  // An Event tells a transition, and the stored status says which transition was told: when the
  // state and the condition are already what this decision writes, its Events were sent. (A cache
  // that still shows a pod this controller just deleted would otherwise tell its replacement twice.)
  const told = stored.state === status.state && stored.conditions?.find((c) => c.type === condition.type)?.message === condition.message;
  const untold = told ? actions.filter((a) => a.type !== 'event') : actions;
  if (canonicalJson(withoutUpdateTime(status)) === canonicalJson(withoutUpdateTime(stored))) return { status: stored, actions: untold };
  return { status: { ...status, lastUpdateTime: formatTime(now) }, actions: untold };
}
