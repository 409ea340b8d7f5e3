import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAILED_MARKER } from './failure-marker';
import { startedControlPlane } from './global-setup';

/**
 * Jest global teardown: stops the control plane, and keeps its run folder when a test failed
 * (the failure reporter, which runs before this, leaves a marker there).
 */
export default async function globalTeardown(): Promise<void> {
  const controlPlane = startedControlPlane();
  if (!controlPlane) {
    return;
  }
  if (fs.existsSync(path.join(controlPlane.runDir, FAILED_MARKER))) {
    controlPlane.markFailed();
  }
  await controlPlane.stop();
}
