// The Deployment, Service and PodDisruptionBudget builders that the SparkOperator's controller and
// webhook share.
import { ApiObject, Lazy } from 'cdk8s';
import { ContainerResources, ImagePullPolicy, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RUNTIME_USER_ID, RUNTIME_WRITABLE_DIR, TERMINATION_GRACE_PERIOD_SECONDS } from '../core';
import { OperatorImage } from '../operator-image';
import { OperatorIdentity, objectMetadata, operatorLabels, selectorLabels } from './metadata';
import { toKubeResources } from './units';

/** A numeric user and group, so the kubelet can check `runAsNonRoot` without reading the image. */
const TMP_SIZE = '64Mi';

/** What the controller and webhook pods have in common. */
export interface PodCommon {
  readonly image: OperatorImage;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly imagePullSecrets: k8s.LocalObjectReference[];
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
  readonly priorityClassName?: string;
  readonly metricsPort: number;
  readonly healthProbePort: number;
}

/** A volume of the pod and where the container mounts it. */
export interface PodVolume {
  readonly volume: k8s.Volume;
  readonly mount: k8s.VolumeMount;
}

/** What differs between the controller and webhook Deployments. */
export interface DeploymentSpec {
  readonly component: 'controller' | 'webhook';
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  readonly replicas: number;
  readonly resources: ContainerResources;
  /** The container's arguments, produced at synth time. */
  readonly args: () => string[];
  readonly extraPorts: k8s.ContainerPort[];
  readonly extraVolumes: PodVolume[];
  readonly pod: PodCommon;
}

/** The Deployment `<name>-<component>`: one hardened container that meets the "restricted" Pod Security Standard. */
export function operatorDeployment(scope: Construct, identity: OperatorIdentity, id: string, spec: DeploymentSpec): ApiObject {
  const name = `${identity.name}-${spec.component}`;
  const { pod } = spec;
  return new k8s.KubeDeployment(scope, id, {
    metadata: workloadMetadata(identity, name, spec.component),
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: selectorLabels(identity, spec.component) },
      template: {
        metadata: { labels: operatorLabels(identity, spec.component) },
        spec: {
          serviceAccountName: spec.serviceAccountName,
          automountServiceAccountToken: spec.automountServiceAccountToken,
          // The operator needs no Service environment variables; they only grow with the namespace.
          enableServiceLinks: false,
          // The runtime drains its work, releases its Lease and exits within this after SIGTERM.
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUNTIME_USER_ID,
            runAsGroup: RUNTIME_USER_ID,
            fsGroup: RUNTIME_USER_ID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          imagePullSecrets: pod.imagePullSecrets.length > 0 ? pod.imagePullSecrets : undefined,
          nodeSelector: pod.nodeSelector,
          tolerations: pod.tolerations,
          affinity: pod.affinity,
          priorityClassName: pod.priorityClassName,
          containers: [{
            name: spec.component,
            image: pod.image.reference,
            imagePullPolicy: pod.imagePullPolicy,
            // Lazy: job namespaces added after construction still reach the flags.
            args: Lazy.any({ produce: spec.args }),
            ports: [
              ...spec.extraPorts,
              { name: 'metrics', containerPort: pod.metricsPort, protocol: 'TCP' },
              { name: 'health', containerPort: pod.healthProbePort, protocol: 'TCP' },
            ],
            livenessProbe: {
              httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('health') },
              periodSeconds: 10,
              timeoutSeconds: 5,
              failureThreshold: 3,
            },
            readinessProbe: {
              httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('health') },
              periodSeconds: 10,
              timeoutSeconds: 5,
              failureThreshold: 3,
            },
            resources: toKubeResources(spec.resources),
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              runAsUser: RUNTIME_USER_ID,
              runAsGroup: RUNTIME_USER_ID,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [
              // The root filesystem is read-only; Node.js and its libraries still expect a writable /tmp.
              { name: 'tmp', mountPath: RUNTIME_WRITABLE_DIR },
              ...spec.extraVolumes.map((v) => v.mount),
            ],
          }],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(TMP_SIZE) } },
            ...spec.extraVolumes.map((v) => v.volume),
          ],
        },
      },
    },
  });
}

/** A ClusterIP Service in front of one component's pods. */
export function operatorService(
  scope: Construct,
  identity: OperatorIdentity,
  id: string,
  name: string,
  component: string,
  port: k8s.ServicePort,
): void {
  new k8s.KubeService(scope, id, {
    metadata: workloadMetadata(identity, name, component),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(identity, component),
      ports: [port],
    },
  });
}

/** A PodDisruptionBudget that keeps one pod of a component up (for components with several replicas). */
export function operatorPodDisruptionBudget(scope: Construct, identity: OperatorIdentity, id: string, name: string, component: string): void {
  new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: workloadMetadata(identity, name, component),
    spec: {
      minAvailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selectorLabels(identity, component) },
    },
  });
}

/** Metadata in the operator namespace, in the workloads' sync wave. */
function workloadMetadata(identity: OperatorIdentity, name: string, component: string): k8s.ObjectMeta {
  return objectMetadata(identity, name, component, identity.namespace, identity.syncWaves._workloads());
}
