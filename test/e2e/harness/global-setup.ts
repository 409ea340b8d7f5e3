import * as path from 'node:path';
import { CONNECTION_FILE_ENV, writeConnection } from './connection';
import { ControlPlane, startControlPlane } from './control-plane';

/** Where the global setup leaves the control plane for the global teardown (same process). */
export const CONTROL_PLANE_GLOBAL = '__cdk8sSparkE2eControlPlane';

/**
 * Jest global setup: starts one control plane for the whole run and tells the test files how to
 * reach it (the environment is inherited by test workers, and shared when running in band).
 */
export default async function globalSetup(): Promise<void> {
  const controlPlane = await startControlPlane();
  (globalThis as Record<string, unknown>)[CONTROL_PLANE_GLOBAL] = controlPlane;
  const file = path.join(controlPlane.runDir, 'connection.json');
  writeConnection(file, controlPlane.connection);
  process.env[CONNECTION_FILE_ENV] = file;
}

/** The control plane started by {@link globalSetup}, if any. */
export function startedControlPlane(): ControlPlane | undefined {
  return (globalThis as Record<string, unknown>)[CONTROL_PLANE_GLOBAL] as ControlPlane | undefined;
}
