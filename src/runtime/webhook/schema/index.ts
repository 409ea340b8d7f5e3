// The admission webhook's check of the Kubernetes core types a SparkApplication embeds, against the
// cluster's own core/v1 OpenAPI v3 schemas: docs/webhook.md, "Embedded Kubernetes types".
export * from './checker';
export * from './embedded-fields';
export * from './loader';
