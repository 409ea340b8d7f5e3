/** Assembles a CustomResourceDefinition (apiextensions.k8s.io/v1) from a spec and status schema. */
import { JSONSchemaProps } from './schema';
import { API_GROUP, API_VERSION } from '../api';

/** A column of `kubectl get`. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  /** 0 (or unset): shown by `kubectl get`; above 0: only with `-o wide`. */
  readonly priority?: number;
}

/** The resource names of a CRD. */
export interface CrdNames {
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
}

/** What makes one of our CRDs. */
export interface CrdDefinition {
  readonly names: CrdNames;
  readonly description: string;
  readonly spec: JSONSchemaProps;
  readonly status: JSONSchemaProps;
  readonly printerColumns: readonly PrinterColumn[];
  /** The one version served and stored. @default - v1beta2 */
  readonly version?: string;
}

/** The JSON of a CustomResourceDefinition, as sent to the API server. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[] };
    scope: 'Namespaced';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: PrinterColumn[];
    }>;
  };
}

/** Builds a namespaced CRD in our group, served and stored at one version (v1beta2 unless named), with the status subresource. */
export function buildCrd(def: CrdDefinition): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.names.plural}.${API_GROUP}`,
      // Same value as upstream: the group is a *.k8s.io group, which the API server only accepts
      // with an approval annotation.
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298' },
    },
    spec: {
      group: API_GROUP,
      names: { ...def.names, shortNames: [...def.names.shortNames] },
      scope: 'Namespaced',
      versions: [{
        name: def.version ?? API_VERSION,
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: def.description,
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: def.spec,
              status: def.status,
            },
            required: ['metadata', 'spec'],
          },
        },
        subresources: { status: {} },
        additionalPrinterColumns: [...def.printerColumns],
      }],
    },
  };
}
