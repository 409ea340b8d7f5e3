/**
 * Captures the `core/v1` OpenAPI v3 document of the pinned control plane into
 * `test/fixtures/openapi/core-v1.json.gz`, the document the webhook's schema unit tests check
 * against without a cluster. Starts its own control plane, reads the document as the webhook does
 * (`GET /openapi/v3`, then the URL it lists for `api/v1`), writes it gzipped, and stops everything.
 *
 * Run it after a Kubernetes version change (the e2e test `webhook-schema` says when):
 *   npx ts-node --transpile-only --project test/e2e/tsconfig.json test/e2e/capture-core-openapi.ts
 */
import { RestClient } from '../../src/kube/rest';
import { fetchCoreV1Document } from '../../src/runtime/webhook/schema';
import { writeCoreV1OpenApiFixture } from '../fixtures/core-v1-openapi';
import { kubeConfigFromFile } from './harness/client';
import { startControlPlane } from './harness/control-plane';

async function main(): Promise<void> {
  const controlPlane = await startControlPlane({ nodes: 1 });
  try {
    const client = RestClient.fromKubeConfig(kubeConfigFromFile(controlPlane.connection.adminKubeconfig));
    const { url, document } = await fetchCoreV1Document(client);
    const file = writeCoreV1OpenApiFixture(document);
    process.stderr.write(`core/v1 of Kubernetes ${controlPlane.connection.kubernetesVersion} (${url}) written to ${file}\n`);
  } finally {
    await controlPlane.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
