import { SparkApplication } from '../../../src/api';
import {
  driverIngressObjects, driverPodDisruptionBudget, ingressUrl, uiIngress, uiService,
} from '../../../src/runtime/controller/spark-application/operator-objects';

function app(spec: Partial<SparkApplication['spec']> = {}): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'spark-pi', namespace: 'jobs', uid: 'uid-1' },
    spec: { type: 'Scala', sparkVersion: '3.5.1', driver: {}, executor: {}, ...spec },
    status: { driverInfo: {}, submissionID: 'sub-1', sparkApplicationId: 'spark-0123' },
  };
}

const OWNER = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'spark-pi', uid: 'uid-1', controller: true, blockOwnerDeletion: true };
const LABELS = { 'sparkoperator.k8s.io/app-name': 'spark-pi', 'sparkoperator.k8s.io/submission-id': 'sub-1', 'sparkoperator.k8s.io/created-by-spark-operator': 'true' };

describe('the objects the operator creates around an application', () => {
  test('the UI Service: <app>-ui-svc on 4040, selecting the driver, owned by the application', () => {
    expect(uiService(app())).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'spark-pi-ui-svc', namespace: 'jobs', labels: LABELS, ownerReferences: [OWNER] },
      spec: {
        type: 'ClusterIP',
        selector: { 'sparkoperator.k8s.io/app-name': 'spark-pi', 'spark-role': 'driver' },
        ports: [{ name: 'spark-driver-ui-port', port: 4040, targetPort: 4040, protocol: 'TCP' }],
      },
    });
  });

  test('the UI Service follows spark.ui.port and sparkUIOptions', () => {
    const service = uiService(app({
      sparkConf: { 'spark.ui.port': '4045' },
      sparkUIOptions: { servicePort: 80, servicePortName: 'http', serviceType: 'NodePort', serviceLabels: { team: 'a' }, serviceAnnotations: { a: 'b' } },
    }));
    expect(service.spec).toEqual({
      type: 'NodePort',
      selector: { 'sparkoperator.k8s.io/app-name': 'spark-pi', 'spark-role': 'driver' },
      ports: [{ name: 'http', port: 80, targetPort: 4045, protocol: 'TCP' }],
    });
    expect(service.metadata.labels).toEqual({ team: 'a', ...LABELS });
    expect(service.metadata.annotations).toEqual({ a: 'b' });
  });

  test('ingress URLs: placeholders filled, http:// when no scheme', () => {
    expect(ingressUrl('{{$appName}}.{{$appNamespace}}.spark.example.com', app()).href).toBe('http://spark-pi.jobs.spark.example.com/');
    expect(ingressUrl('https://spark.example.com/{{$appNamespace}}/{{$appId}}', app()).href).toBe('https://spark.example.com/jobs/spark-0123');
  });

  test('the UI Ingress at a host, and under a path with the rewrite upstream uses', () => {
    expect(uiIngress(app(), '{{$appName}}.spark.example.com').spec.rules).toEqual([{
      host: 'spark-pi.spark.example.com',
      http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'spark-pi-ui-svc', port: { number: 4040 } } } }] },
    }]);
    const underPath = uiIngress(app({ sparkUIOptions: { ingressAnnotations: { x: 'y' }, ingressTLS: [{ hosts: ['spark.example.com'], secretName: 'tls' }] } }),
      'spark.example.com/ui/{{$appName}}');
    expect(underPath.metadata).toMatchObject({ name: 'spark-pi-ui-ingress', annotations: { 'x': 'y', 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' } });
    expect(underPath.spec.rules[0].http.paths[0].path).toBe('/ui/spark-pi(/|$)(.*)');
    expect(underPath.spec.tls).toEqual([{ hosts: ['spark.example.com'], secretName: 'tls' }]);
  });

  test('a driver ingress: <app>-driver-<port> and <app>-ing-<port>', () => {
    const [service, ingress] = driverIngressObjects(app(), { servicePort: 15002, servicePortName: 'connect', ingressURLFormat: '{{$appName}}-connect.example.com' });
    expect(service.metadata.name).toBe('spark-pi-driver-15002');
    expect(service.spec.ports).toEqual([{ name: 'connect', port: 15002, targetPort: 15002, protocol: 'TCP' }]);
    expect(ingress.metadata.name).toBe('spark-pi-ing-15002');
    expect(ingress.spec.rules[0]).toMatchObject({ host: 'spark-pi-connect.example.com' });
  });

  test('the driver PodDisruptionBudget is named like the driver pod', () => {
    expect(driverPodDisruptionBudget(app())).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'spark-pi-driver', namespace: 'jobs', labels: LABELS, ownerReferences: [OWNER] },
      spec: { minAvailable: 1, selector: { matchLabels: { 'sparkoperator.k8s.io/app-name': 'spark-pi', 'spark-role': 'driver' } } },
    });
  });
});
