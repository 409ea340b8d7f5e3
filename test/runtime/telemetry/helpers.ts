import { SparkApplication } from '../../../src/api';
import { OperatorMetrics } from '../../../src/runtime/telemetry/metrics';
import { Series, parseExposition } from '../../util/prometheus';

/** The SparkApplication `name` as the caches hold it, created at 2026-01-01T00:00:00Z. */
export function application(name: string, labels: Record<string, string> = {}, state?: string): SparkApplication & { metadata: any } {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace: 'spark-jobs', labels, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {} as any,
    ...state ? { status: { applicationState: { state: state as any }, driverInfo: {} } } : {},
  };
}

/** The series of the Prometheus text exposition, comments left out. */
export async function scrape(metrics: OperatorMetrics): Promise<Series[]> {
  return parseExposition(await metrics.exposition());
}
