// Prints the serialized size of each generated CRD: the numbers in the README's "CRD size" table.
// Run: npx ts-node scripts/crd-sizes.ts
import { stringify } from 'yaml';
import { scheduledSparkApplicationCrd, sparkApplicationCrd, sparkConnectCrd } from '../src/crds';

const CLIENT_SIDE_APPLY_LIMIT = 262_144; // bytes of the last-applied-configuration annotation

for (const crd of [sparkApplicationCrd(), scheduledSparkApplicationCrd(), sparkConnectCrd()]) {
  const json = Buffer.byteLength(JSON.stringify(crd));
  const yaml = Buffer.byteLength(stringify(crd));
  const share = ((100 * json) / CLIENT_SIDE_APPLY_LIMIT).toFixed(1);
  console.log(`${crd.metadata.name}: ${json} bytes JSON, ${yaml} bytes YAML (${share}% of the client-side apply limit)`);
}
