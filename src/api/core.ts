/**
 * Kubernetes core types that the v1beta2 API embeds (volumes, containers, affinity ...).
 *
 * The Spark operator does not interpret most of these: it copies them into the driver and executor
 * pods. So the wire model names each one and types only the fields that our code reads or that
 * identify an entry (a volume's `name`, a mount's `mountPath`); the rest passes through unchanged.
 * The Kubernetes API server validates them for real when the pods are created.
 */

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | JsonObject;

/** A JSON object with unknown keys. */
export interface JsonObject {
  [key: string]: Json | undefined;
}

/** core/v1 Volume: `name` plus exactly one volume source. */
export interface Volume extends JsonObject {
  name: string;
}

/** core/v1 VolumeMount. */
export interface VolumeMount extends JsonObject {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** core/v1 EnvVar. */
export interface EnvVar extends JsonObject {
  name: string;
  value?: string;
  valueFrom?: JsonObject;
}

/** core/v1 EnvFromSource. */
export interface EnvFromSource extends JsonObject {
  prefix?: string;
  configMapRef?: JsonObject;
  secretRef?: JsonObject;
}

/** core/v1 Container (sidecars and init containers). */
export interface Container extends JsonObject {
  name: string;
  image?: string;
}

/** core/v1 Toleration. */
export interface Toleration extends JsonObject {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** core/v1 Affinity (node, pod and pod anti-affinity). */
export type Affinity = JsonObject;

/** core/v1 PodSecurityContext. */
export type PodSecurityContext = JsonObject;

/** core/v1 SecurityContext (container level). */
export type SecurityContext = JsonObject;

/** core/v1 Lifecycle (postStart / preStop handlers). */
export type Lifecycle = JsonObject;

/** core/v1 PodDNSConfig. */
export type PodDNSConfig = JsonObject;

/** core/v1 HostAlias. */
export interface HostAlias extends JsonObject {
  ip: string;
  hostnames?: string[];
}

/** core/v1 PodTemplateSpec, as used by `driver.template` / `executor.template`. */
export type PodTemplateSpec = JsonObject;

/** networking/v1 IngressTLS. */
export interface IngressTLS extends JsonObject {
  hosts?: string[];
  secretName?: string;
}

/**
 * A Kubernetes quantity as it appears in JSON: `"1.5Gi"`, `"500m"` or a plain number.
 * Used by `batchSchedulerOptions.resources` (a core/v1 ResourceList).
 */
export type Quantity = string | number;

/** core/v1 ObjectMeta, the fields this project reads or writes. */
export interface ObjectMeta extends JsonObject {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: OwnerReference[];
}

/** meta/v1 OwnerReference. */
export interface OwnerReference extends JsonObject {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}
