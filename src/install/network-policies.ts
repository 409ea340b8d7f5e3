// The NetworkPolicies of the SparkOperator's controller and webhook pods: each pod may receive and
// send exactly the traffic its process needs, and nothing else.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OperatorIdentity, objectMetadata, selectorLabels } from './metadata';
import { OperatorNetworkPolicyOptions } from '../spark-operator-options';
import { requireNamespaceName, requirePort } from '../util/validation';

/** Where the API server listens as its pods see it, after the `kubernetes` Service: managed clusters use 443, kubeadm and k3s 6443. */
const DEFAULT_API_SERVER_PORTS = [443, 6443];

/** The label the API server puts on every Namespace, with its name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/\d{1,3})$/;

/** The resolved `networkPolicyOptions` plus the ports every component serves. */
export interface NetworkPolicySetup {
  readonly apiServerPorts: number[];
  /** `undefined`: any address. */
  readonly apiServerCidrs?: string[];
  /** `undefined`: any source. */
  readonly metricsFromNamespaces?: string[];
  readonly metricsPort: number;
  readonly healthProbePort: number;
}

/** Checks `networkPolicyOptions` and resolves the defaults. */
export function networkPolicySetup(options: OperatorNetworkPolicyOptions, metricsPort: number, healthProbePort: number): NetworkPolicySetup {
  const apiServerPorts = options.apiServerPorts ?? DEFAULT_API_SERVER_PORTS;
  if (apiServerPorts.length === 0) {
    throw new Error("'networkPolicyOptions.apiServerPorts' must list at least one port: the controller cannot work without the API server");
  }
  apiServerPorts.forEach((port) => requirePort('networkPolicyOptions.apiServerPorts', port));
  for (const cidr of options.apiServerCidrs ?? []) {
    if (!CIDR.test(cidr)) {
      throw new Error(`'networkPolicyOptions.apiServerCidrs' must hold CIDRs such as '10.0.0.10/32' or 'fd00::10/128' (got ${JSON.stringify(cidr)})`);
    }
  }
  if (options.apiServerCidrs?.length === 0) {
    throw new Error("'networkPolicyOptions.apiServerCidrs' must list at least one CIDR: leave it unset to allow any address");
  }
  if (options.metricsFromNamespaces?.length === 0) {
    throw new Error("'networkPolicyOptions.metricsFromNamespaces' must list at least one namespace: leave it unset to allow any source");
  }
  options.metricsFromNamespaces?.forEach((namespace) => requireNamespaceName('networkPolicyOptions.metricsFromNamespaces', namespace));
  return {
    apiServerPorts: [...apiServerPorts],
    apiServerCidrs: options.apiServerCidrs && [...options.apiServerCidrs],
    metricsFromNamespaces: options.metricsFromNamespaces && [...options.metricsFromNamespaces],
    metricsPort,
    healthProbePort,
  };
}

/**
 * The controller's NetworkPolicy: in, metrics and health; out, the API server (everything it does
 * is an API call) and DNS.
 */
export function controllerNetworkPolicy(scope: Construct, identity: OperatorIdentity, setup: NetworkPolicySetup): void {
  componentNetworkPolicy(scope, identity, 'ControllerNetworkPolicy', 'controller', monitoringIngress(setup), [apiServerEgress(setup), dnsEgress()]);
}

/**
 * The webhook's NetworkPolicy: in, AdmissionReviews from the API server on the webhook port, and
 * metrics and health; out, the API server only (by its address: no DNS).
 */
export function webhookNetworkPolicy(
  scope: Construct,
  identity: OperatorIdentity,
  setup: NetworkPolicySetup,
  webhookPort: number,
): void {
  // The API server calls the webhook from an address that depends on the cluster (a node, a
  // managed control plane outside it): any source, on the webhook port only.
  const admission: k8s.NetworkPolicyIngressRule = { ports: [tcp(webhookPort)] };
  // Out: the API server only (schemas, SubjectAccessReviews, and with self-managed TLS its Secret
  // and the caBundle).
  componentNetworkPolicy(scope, identity, 'WebhookNetworkPolicy', 'webhook', [admission, ...monitoringIngress(setup)], [apiServerEgress(setup)]);
}

/** A policy for one component's pods that denies what its rules do not allow, both ways. */
function componentNetworkPolicy(
  scope: Construct,
  identity: OperatorIdentity,
  id: string,
  component: string,
  ingress: k8s.NetworkPolicyIngressRule[],
  egress: k8s.NetworkPolicyEgressRule[],
): void {
  new k8s.KubeNetworkPolicy(scope, id, {
    // In the RBAC wave, before the pods: they never run unprotected.
    metadata: objectMetadata(identity, `${identity.name}-${component}`, component, identity.namespace),
    spec: {
      podSelector: { matchLabels: selectorLabels(identity, component) },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      // No rule at all denies every egress; the API server stores no empty list.
      egress: egress.length > 0 ? egress : undefined,
    },
  });
}

/**
 * Metrics from the configured namespaces (any source by default: Prometheus runs anywhere, even
 * outside the cluster), and health from any source: the kubelet probes it, from an address that
 * depends on the network plugin, and the endpoints say no more than "ok".
 */
function monitoringIngress(setup: NetworkPolicySetup): k8s.NetworkPolicyIngressRule[] {
  return [
    {
      ports: [tcp(setup.metricsPort)],
      from: setup.metricsFromNamespaces?.map((name) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } })),
    },
    { ports: [tcp(setup.healthProbePort)] },
  ];
}

/**
 * The API server, on its ports, at the configured addresses (any by default: its endpoints differ
 * per cluster and are not pods, so no selector can name them).
 */
function apiServerEgress(setup: NetworkPolicySetup): k8s.NetworkPolicyEgressRule {
  return {
    ports: setup.apiServerPorts.map(tcp),
    to: setup.apiServerCidrs?.map((cidr) => ({ ipBlock: { cidr } })),
  };
}

/** DNS, anywhere: cluster DNS pods, a node-local cache or the node's resolver, depending on the cluster. */
function dnsEgress(): k8s.NetworkPolicyEgressRule {
  return { ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)] };
}

function tcp(port: number): k8s.NetworkPolicyPort {
  return { protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) };
}
