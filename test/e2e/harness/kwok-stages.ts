import { stringify } from 'yaml';

/*
 * kwok plays the kubelet of the fake nodes. What a "kubelet" does to a pod is decided by the
 * Stages below (kwok's Stage API, kwok.x-k8s.io/v1alpha1), and tests steer them with annotations
 * on the pod. See test/e2e/README.md for the table users read.
 */

/** Prefix of every annotation the test kubelet reads. */
export const E2E_ANNOTATION_PREFIX = 'e2e.cdk8s-spark.dev/';

/**
 * How the pod ends once it has run: `Succeeded` (every container exits 0) or `Failed` (every
 * container exits with {@link POD_EXIT_CODE_ANNOTATION}, default 1). Without it the pod stays Running.
 */
export const POD_OUTCOME_ANNOTATION = `${E2E_ANNOTATION_PREFIX}outcome`;
/** How long the pod stays Running before its outcome, as a Go duration ("2s", "1m"); default 1s. */
export const POD_RUN_FOR_ANNOTATION = `${E2E_ANNOTATION_PREFIX}run-for`;
/** Exit code of the containers of a `Failed` pod (an integer); default 1. */
export const POD_EXIT_CODE_ANNOTATION = `${E2E_ANNOTATION_PREFIX}exit-code`;
/** How long a scheduled pod stays Pending before it starts, as a Go duration; default: at once. */
export const POD_START_AFTER_ANNOTATION = `${E2E_ANNOTATION_PREFIX}start-after`;

/** kwok manages only the nodes with this annotation (`--manage-nodes-with-annotation-selector`). */
export const FAKE_NODE_ANNOTATION_KEY = 'kwok.x-k8s.io/node';
export const FAKE_NODE_ANNOTATION_VALUE = 'fake';

/** The phase a pod ends in, for {@link podOutcomeAnnotations}. */
export type PodOutcome = 'Succeeded' | 'Failed';

/** Options of {@link podOutcomeAnnotations}. */
export interface PodOutcomeOptions {
  /** Go duration the pod runs before it ends. @default "1s" (the stage's default) */
  readonly runFor?: string;
  /** Exit code of every container when the outcome is Failed. @default 1 */
  readonly exitCode?: number;
  /** Go duration the pod stays Pending on its node before it runs. @default - starts at once */
  readonly startAfter?: string;
}

/** The annotations that make the fake kubelet run a pod and end it with `outcome`. */
export function podOutcomeAnnotations(outcome: PodOutcome, options: PodOutcomeOptions = {}): Record<string, string> {
  return {
    [POD_OUTCOME_ANNOTATION]: outcome,
    ...(options.runFor !== undefined ? { [POD_RUN_FOR_ANNOTATION]: options.runFor } : {}),
    ...(options.exitCode !== undefined ? { [POD_EXIT_CODE_ANNOTATION]: String(options.exitCode) } : {}),
    ...(options.startAfter !== undefined ? { [POD_START_AFTER_ANNOTATION]: options.startAfter } : {}),
  };
}

/** Options of {@link kwokStagesYaml}. */
export interface KwokStagesOptions {
  /** Reported as the nodes' kubelet version, e.g. "v1.37.2". */
  readonly kubeletVersion: string;
  /** Reported as the nodes' container runtime version, e.g. "kwok-v0.8.0". */
  readonly runtimeVersion: string;
}

const annotation = (key: string) => `.metadata.annotations["${key}"]`;
const notDeleted = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };

/**
 * kwok's configuration: the Stages of the fake kubelet, as a multi-document YAML.
 *
 * Pods: Pending -> Running at once (or after `start-after`), with IPs, conditions and running
 * container statuses; then, only when `outcome` is set, -> Succeeded/Failed after `run-for` with
 * terminated container statuses and exit codes; a pod being deleted is removed (the kubelet's
 * confirmation). Nodes: become Ready with the kubelet's usual conditions and keep a heartbeat.
 */
export function kwokStagesYaml(options: KwokStagesOptions): string {
  const stages = [
    stage('e2e-node-ready', 'Node', {
      selector: {
        matchExpressions: [
          { jq: { key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: 'NotIn', values: ['True'] } },
        ],
      },
      steps: [{ patch: { subresource: 'status', root: 'status', template: nodeReadyStatus(options) } }],
    }),
    stage('e2e-node-heartbeat', 'Node', {
      selector: {
        matchExpressions: [
          { jq: { key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: 'In', values: ['True'] } },
        ],
      },
      // Leases (kwok --node-lease-duration-seconds) are the real heartbeat; this refreshes the
      // condition timestamps now and then, as a kubelet does.
      delay: { durationMilliseconds: 60_000 },
      steps: [{ patch: { subresource: 'status', root: 'status', template: NODE_HEARTBEAT_STATUS } }],
    }),
    stage('e2e-pod-start', 'Pod', {
      selector: {
        matchExpressions: [
          { jq: notDeleted },
          { jq: { key: '.status.phase', operator: 'In', values: ['Pending'] } },
        ],
      },
      delay: { durationFrom: { jq: { expression: annotation(POD_START_AFTER_ANNOTATION) } } },
      steps: [
        { event: { type: 'Normal', reason: 'Started', message: 'Started containers (kwok)' } },
        { patch: { subresource: 'status', root: 'status', template: POD_RUNNING_STATUS } },
      ],
    }),
    stage('e2e-pod-finish', 'Pod', {
      selector: {
        matchExpressions: [
          { jq: notDeleted },
          { jq: { key: '.status.phase', operator: 'In', values: ['Running'] } },
          { jq: { key: annotation(POD_OUTCOME_ANNOTATION), operator: 'In', values: ['Succeeded', 'Failed'] } },
        ],
      },
      delay: {
        durationMilliseconds: 1_000,
        durationFrom: { jq: { expression: annotation(POD_RUN_FOR_ANNOTATION) } },
      },
      steps: [{ patch: { subresource: 'status', root: 'status', template: POD_FINISHED_STATUS } }],
    }),
    // A kubelet confirms a deletion with the pod's UID as a precondition; kwok deletes by name. A
    // pod that has ended needs no confirmation (the API server removes it at once), and kwok's
    // delete of it can arrive after the pod is gone and a new one has its name: a driver pod of
    // the next attempt, deleted by the "kubelet" of the last. So this stage leaves ended pods alone.
    stage('e2e-pod-delete', 'Pod', {
      selector: {
        matchExpressions: [
          { jq: { key: '.metadata.deletionTimestamp', operator: 'Exists' } },
          { jq: { key: '.status.phase', operator: 'NotIn', values: ['Succeeded', 'Failed'] } },
        ],
      },
      steps: [{ delete: true }],
    }),
  ];
  return stages.map((s) => stringify(s)).join('---\n');
}

function stage(name: string, kind: 'Pod' | 'Node', spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind }, ...spec },
  };
}

// The templates are Go text/template (with sprig) rendered over the object as JSON; they produce
// YAML that kwok sends as a strategic-merge patch of the status subresource.

function nodeReadyStatus(options: KwokStagesOptions): string {
  return `{{ $now := Now }}
phase: Running
conditions:
{{ range NodeConditions }}
- type: {{ .type | Quote }}
  status: {{ .status | Quote }}
  reason: {{ .reason | Quote }}
  message: {{ .message | Quote }}
  lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $now | Quote }}
{{ end }}
addresses:
- type: InternalIP
  address: {{ NodeIP | Quote }}
- type: Hostname
  address: {{ .metadata.name | Quote }}
daemonEndpoints:
  kubeletEndpoint:
    Port: {{ NodePort }}
nodeInfo:
  architecture: amd64
  operatingSystem: linux
  kubeletVersion: ${JSON.stringify(options.kubeletVersion)}
  containerRuntimeVersion: ${JSON.stringify(options.runtimeVersion)}
  kernelVersion: ""
  osImage: "kwok fake node"
  machineID: ""
  systemUUID: ""
  bootID: ""
`;
}

const NODE_HEARTBEAT_STATUS = `{{ $now := Now }}
conditions:
{{ range .status.conditions }}
- type: {{ .type | Quote }}
  lastHeartbeatTime: {{ $now | Quote }}
{{ end }}
`;

// Running: what a kubelet reports once the sandbox and every container started.
const POD_RUNNING_STATUS = `{{ $now := Now }}
{{ $nodeIP := NodeIPWith .spec.nodeName }}
{{ $podIP := PodIPWith .spec.nodeName (default false .spec.hostNetwork) .metadata.uid .metadata.name .metadata.namespace }}
phase: Running
startTime: {{ $now | Quote }}
hostIP: {{ $nodeIP | Quote }}
hostIPs:
- ip: {{ $nodeIP | Quote }}
podIP: {{ $podIP | Quote }}
podIPs:
- ip: {{ $podIP | Quote }}
conditions:
- type: PodReadyToStartContainers
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Initialized
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: ContainersReady
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
{{ with .spec.initContainers }}
initContainerStatuses:
{{ range . }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: ""
  ready: true
  restartCount: 0
  started: false
  state:
    waiting: null
    running: null
    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
{{ end }}
{{ end }}
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: ""
  ready: true
  restartCount: 0
  started: true
  state:
    waiting: null
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
`;

// Succeeded/Failed: every container terminated with the same exit code. \`running: null\` matters:
// the patch is a strategic merge, which would otherwise keep the running state next to the new one.
const POD_FINISHED_STATUS = `{{ $now := Now }}
{{ $root := . }}
{{ $outcome := index .metadata.annotations "${POD_OUTCOME_ANNOTATION}" }}
{{ $exitCode := "0" }}
{{ $reason := "Completed" }}
{{ if eq $outcome "Failed" }}
{{ $exitCode = index .metadata.annotations "${POD_EXIT_CODE_ANNOTATION}" | default "1" }}
{{ $reason = "Error" }}
{{ end }}
phase: {{ $outcome | Quote }}
conditions:
- type: ContainersReady
  status: "False"
  reason: PodCompleted
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "False"
  reason: PodCompleted
  lastTransitionTime: {{ $now | Quote }}
containerStatuses:
{{ range .spec.containers }}
{{ $name := .name }}
{{ $startedAt := $now }}
{{ range $root.status.containerStatuses }}{{ if eq .name $name }}{{ with .state.running }}{{ $startedAt = .startedAt }}{{ end }}{{ end }}{{ end }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: ""
  ready: false
  restartCount: 0
  started: false
  state:
    running: null
    terminated:
      exitCode: {{ $exitCode }}
      reason: {{ $reason }}
      startedAt: {{ $startedAt | Quote }}
      finishedAt: {{ $now | Quote }}
{{ end }}
`;
