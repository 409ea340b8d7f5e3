/*
 * What the fake kubelet serves for `kubectl logs` and `kubectl port-forward` (and any client of the
 * pods/log and pods/portforward subresources): kwok's `Logs` and `PortForward` resources
 * (kwok.x-k8s.io/v1alpha1, https://kwok.sigs.k8s.io/docs/user/kwok-in-cluster/), one per pod, which
 * a test creates next to its pod. The API server reaches kwok as it reaches a kubelet: at the
 * node's InternalIP and `status.daemonEndpoints.kubeletEndpoint.Port`, over TLS.
 *
 * - `Logs`: the container's log is a file on this machine, in the CRI log format a kubelet reads
 *   (`<RFC 3339 time> stdout F <line>`, see {@link criLogLines}); a follow waits for more lines.
 * - `PortForward`: a connection to a pod port is a TCP connection to an address of this machine
 *   (a server the test runs, standing in for the process in the pod).
 */

/** The kinds kwok watches as CRDs (`kwok --enable-crds`). */
export const KWOK_DEBUGGING_KINDS = ['Logs', 'PortForward'] as const;

import { KubeObject } from './apply';

const GROUP = 'kwok.x-k8s.io';

function crd(kind: string, plural: string, singular: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular },
      scope: 'Namespaced',
      versions: [{
        name: 'v1alpha1',
        served: true,
        storage: true,
        // kwok checks the fields itself; the harness only needs the API to store them.
        schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {} },
      }],
    },
  };
}

/** The CRDs of {@link KWOK_DEBUGGING_KINDS}, as kwok's own (kustomize/crd/bases) name them. */
export function kwokDebuggingCrds(): KubeObject[] {
  return [crd('Logs', 'logs', 'logs'), crd('PortForward', 'portforwards', 'portforward')];
}

/** A `Logs` object: the log of `pod`'s containers (all of them, or those named) is `logsFile`. */
export function podLogs(namespace: string, pod: string, logsFile: string,
  options: { containers?: readonly string[]; follow?: boolean } = {}): KubeObject {
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind: 'Logs',
    metadata: { name: pod, namespace },
    spec: { logs: [{ ...options.containers ? { containers: [...options.containers] } : {}, logsFile, follow: options.follow ?? true }] },
  };
}

/** A `PortForward` object: a connection to `port` of `pod` reaches `target` (host and port) of this machine. */
export function podPortForward(namespace: string, pod: string, port: number, target: { address: string; port: number }): KubeObject {
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind: 'PortForward',
    metadata: { name: pod, namespace },
    spec: { forwards: [{ ports: [port], target }] },
  };
}

/** Lines in the CRI log format a kubelet reads and kwok serves: each a full (`F`) stdout line, at `at`. */
export function criLogLines(lines: readonly string[], at: Date = new Date()): string {
  return lines.map((line) => `${at.toISOString()} stdout F ${line}\n`).join('');
}
