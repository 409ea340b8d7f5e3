import { kubeSchemaErrors, unknownFieldErrors } from './util/kube-validator';

// The checker the other tests rely on: it must catch a misspelt field of the kinds rendered as plain
// ApiObjects, which the kubernetes-models validators let through.

const POD_MONITOR = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'spark-operator', namespace: 'spark-operator', labels: { 'app.kubernetes.io/name': 'spark-operator' } },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'spark-operator' } },
    podMetricsEndpoints: [{ port: 'metrics', path: '/metrics' }],
  },
};

const CERTIFICATE = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'spark-operator-webhook', namespace: 'spark-operator' },
  spec: {
    secretName: 'spark-operator-webhook-certs',
    dnsNames: ['spark-operator-webhook.spark-operator.svc'],
    issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    duration: '2160h',
  },
};

describe('kube-validator', () => {
  test('accepts a PodMonitor and a Certificate with declared fields only', () => {
    // THEN
    expect(kubeSchemaErrors(POD_MONITOR)).toEqual([]);
    expect(kubeSchemaErrors(CERTIFICATE)).toEqual([]);
  });

  test('reports a misspelt PodMonitor field that the model validator accepts', () => {
    // GIVEN
    const typo = { ...POD_MONITOR, spec: { ...POD_MONITOR.spec, podMetricEndpoints: POD_MONITOR.spec.podMetricsEndpoints } };
    // THEN
    expect(unknownFieldErrors(typo)).toEqual(['PodMonitor spark-operator.spec.podMetricEndpoints: unknown field']);
    expect(kubeSchemaErrors(typo)).toEqual(['PodMonitor spark-operator.spec.podMetricEndpoints: unknown field']);
  });

  test('reports an unknown field inside an array item', () => {
    // GIVEN
    const typo = { ...POD_MONITOR, spec: { ...POD_MONITOR.spec, podMetricsEndpoints: [{ port: 'metrics', pathh: '/metrics' }] } };
    // THEN
    expect(unknownFieldErrors(typo)).toEqual(['PodMonitor spark-operator.spec.podMetricsEndpoints[0].pathh: unknown field']);
  });

  test('reports an unknown nested Certificate field and an unknown metadata field', () => {
    // GIVEN
    const typo = {
      ...CERTIFICATE,
      metadata: { ...CERTIFICATE.metadata, label: { a: 'b' } },
      spec: { ...CERTIFICATE.spec, issuerRef: { ...CERTIFICATE.spec.issuerRef, namespace: 'cert-manager' } },
    };
    // THEN
    expect(unknownFieldErrors(typo)).toEqual([
      'Certificate spark-operator-webhook.metadata.label: unknown field',
      'Certificate spark-operator-webhook.spec.issuerRef.namespace: unknown field',
    ]);
  });

  test('allows any key in a map field (labels, matchLabels)', () => {
    // THEN
    expect(unknownFieldErrors({ ...POD_MONITOR, metadata: { name: 'm', labels: { 'any/key': 'v' } } })).toEqual([]);
  });

  test('reports an Issuer field from another issuer type', () => {
    // GIVEN
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'i' }, spec: { selfSigned: {}, selfsigned: {} } };
    // THEN
    expect(unknownFieldErrors(issuer)).toEqual(['Issuer i.spec.selfsigned: unknown field']);
  });
});
