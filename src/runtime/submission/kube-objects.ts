/**
 * The core/v1 objects a submission creates, as plain JSON: the fields the builders write are typed,
 * everything else (from pod templates, sidecars ...) passes through as {@link JsonObject}.
 */
import { Container, EnvFromSource, EnvVar, JsonObject, ObjectMeta, OwnerReference, Volume, VolumeMount } from '../../api';

/** core/v1 ContainerPort. */
export interface ContainerPort extends JsonObject {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** core/v1 ResourceRequirements: quantities as strings. */
export interface ResourceRequirements extends JsonObject {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** A container with the fields the builders write. */
export interface PodContainer extends Container {
  image?: string;
  imagePullPolicy?: string;
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
}

/** core/v1 LocalObjectReference (image pull secrets). */
export interface LocalObjectReference extends JsonObject {
  name: string;
}

/** core/v1 PodSpec with the fields the builders write. */
export interface PodSpec extends JsonObject {
  containers: PodContainer[];
  initContainers?: PodContainer[];
  volumes?: Volume[];
  restartPolicy?: string;
  nodeSelector?: Record<string, string>;
  imagePullSecrets?: LocalObjectReference[];
  serviceAccount?: string;
  serviceAccountName?: string;
  schedulerName?: string;
  enableServiceLinks?: boolean;
}

/** core/v1 Pod. */
export interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
}

/** core/v1 PodTemplateSpec: what `spark.kubernetes.*.podTemplateFile` holds. */
export interface PodTemplate {
  metadata: ObjectMeta;
  spec: PodSpec;
}

/** core/v1 ConfigMap. */
export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  immutable?: boolean;
  data: Record<string, string>;
}

/** core/v1 ServicePort. */
export interface ServicePort extends JsonObject {
  name: string;
  port: number;
  targetPort: number;
  appProtocol?: string;
}

/** core/v1 Service (the headless driver Service). */
export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: {
    clusterIP: string;
    ipFamilyPolicy?: string;
    ipFamilies?: string[];
    selector: Record<string, string>;
    ports: ServicePort[];
  };
}

/** An object with metadata, as {@link ownedBy} takes it. */
export interface KubeObject {
  metadata: ObjectMeta;
}

export type { OwnerReference };

/** A deep copy of JSON data (templates are copied before the builders add to them). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
