/**
 * The objects the operator itself creates around a running application (not Spark's): the Service
 * of the Spark UI and, with `--ingress-url-format`, its Ingress; a Service and an Ingress per
 * `driverIngressOptions` entry; the driver's PodDisruptionBudget. Names, labels and fields as
 * upstream makes them (`internal/controller/sparkapplication/web_ui.go` and `driveringress.go` of
 * https://github.com/kubeflow/spark-operator).
 */
import { DriverIngressConfiguration, IngressTLS, LABELS, OwnerReference, SparkApplication } from '../../../api';
import {
  DEFAULT_SPARK_UI_PORT, driverIngressName, driverIngressServiceName, driverPodName, fillIngressUrl, sparkUiPort, uiIngressName, uiServiceName,
} from '../../../core';

/** Spark's UI port when neither `sparkUIOptions.servicePort` nor `spark.ui.port` sets one. */
export const DEFAULT_UI_PORT = DEFAULT_SPARK_UI_PORT;
/** The UI Service's port name when `sparkUIOptions.servicePortName` sets none. */
export const DEFAULT_UI_PORT_NAME = 'spark-driver-ui-port';

/** An object the operator creates: a name and namespace, and its fields as plain JSON. */
export interface OperatorObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; [key: string]: unknown };
  readonly spec: Record<string, any>;
  [key: string]: unknown;
}

type Json = OperatorObject;

/** The controller reference that makes an object go away with its application. */
export function ownerReferenceTo(app: SparkApplication): OwnerReference {
  return { apiVersion: app.apiVersion, kind: app.kind, name: app.metadata.name!, uid: app.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The labels of what the operator creates for a submission. */
function operatorLabels(app: SparkApplication, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    [LABELS.appName]: app.metadata.name!,
    [LABELS.submissionId]: app.status?.submissionID ?? '',
    [LABELS.createdBy]: 'true',
  };
}

/** Selects the driver pod of the application. */
function driverSelector(app: SparkApplication): Record<string, string> {
  return { [LABELS.appName]: app.metadata.name!, [LABELS.sparkRole]: 'driver' };
}

/** The port the Spark UI listens on in the driver: the shared rule (`spark.ui.port`, else 4040), which `sparkctl forward` uses too. */
export function uiTargetPort(app: SparkApplication): number {
  return sparkUiPort(app);
}

/** The Service in front of the Spark UI. */
export function uiService(app: SparkApplication): Json {
  const ui = app.spec.sparkUIOptions ?? {};
  const target = uiTargetPort(app);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: uiServiceName(app.metadata.name!),
      namespace: app.metadata.namespace,
      labels: operatorLabels(app, ui.serviceLabels),
      ...ui.serviceAnnotations ? { annotations: { ...ui.serviceAnnotations } } : {},
      ownerReferences: [ownerReferenceTo(app)],
    },
    spec: {
      type: ui.serviceType ?? 'ClusterIP',
      selector: driverSelector(app),
      ports: [{ name: ui.servicePortName ?? DEFAULT_UI_PORT_NAME, port: ui.servicePort ?? target, targetPort: target, protocol: 'TCP' }],
    },
  };
}

/** The URL an Ingress serves for the application: the format's placeholders filled, `http://` when no scheme. */
export function ingressUrl(format: string, app: SparkApplication): URL {
  return fillIngressUrl(format, { appName: app.metadata.name!, appNamespace: app.metadata.namespace ?? '', appId: app.status?.sparkApplicationId ?? '' });
}

function ingress(app: SparkApplication, name: string, url: URL, serviceName: string, port: number,
  annotations: Record<string, string> | undefined, tls: IngressTLS[] | undefined): Json {
  const root = url.pathname === '/' || url.pathname === '';
  const path = root ? '/' : `${url.pathname.replace(/\/$/, '')}(/|$)(.*)`;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: app.metadata.namespace,
      labels: operatorLabels(app),
      annotations: {
        ...annotations,
        // A UI under a path sees its requests without that path.
        ...root ? {} : { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
      },
      ownerReferences: [ownerReferenceTo(app)],
    },
    spec: {
      rules: [{
        host: url.hostname,
        http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: serviceName, port: { number: port } } } }] },
      }],
      ...tls && tls.length > 0 ? { tls: tls.map((t) => ({ ...t })) } : {},
    },
  };
}

/** The Ingress of the Spark UI at `format` (`--ingress-url-format`). */
export function uiIngress(app: SparkApplication, format: string): Json {
  const ui = app.spec.sparkUIOptions ?? {};
  const service = uiService(app);
  return ingress(app, uiIngressName(app.metadata.name!), ingressUrl(format, app), service.metadata.name, service.spec.ports[0].port,
    ui.ingressAnnotations, ui.ingressTLS);
}

/** The Service and Ingress of one `driverIngressOptions` entry. */
export function driverIngressObjects(app: SparkApplication, options: DriverIngressConfiguration): Json[] {
  const serviceName = driverIngressServiceName(app.metadata.name!, options.servicePort);
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName,
      namespace: app.metadata.namespace,
      labels: operatorLabels(app, options.serviceLabels),
      ...options.serviceAnnotations ? { annotations: { ...options.serviceAnnotations } } : {},
      ownerReferences: [ownerReferenceTo(app)],
    },
    spec: {
      type: options.serviceType ?? 'ClusterIP',
      selector: driverSelector(app),
      ports: [{ name: options.servicePortName, port: options.servicePort, targetPort: options.servicePort, protocol: 'TCP' }],
    },
  };
  if (!options.ingressURLFormat) return [service];
  return [service, ingress(app, driverIngressName(app.metadata.name!, options.servicePort), ingressUrl(options.ingressURLFormat, app),
    serviceName, options.servicePort, options.ingressAnnotations, options.ingressTLS)];
}

/** The PodDisruptionBudget that keeps voluntary evictions off the driver while it runs. */
export function driverPodDisruptionBudget(app: SparkApplication): Json {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: driverPodName(app), namespace: app.metadata.namespace, labels: operatorLabels(app), ownerReferences: [ownerReferenceTo(app)] },
    spec: { minAvailable: 1, selector: { matchLabels: driverSelector(app) } },
  };
}
