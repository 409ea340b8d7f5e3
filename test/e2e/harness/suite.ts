import { randomBytes } from 'node:crypto';
import { Cluster } from './cluster';
import { readConnection } from './connection';

let shared: Cluster | undefined;

/** The cluster of this e2e run (started by the global setup), as the admin. */
export function e2eCluster(): Cluster {
  shared ??= new Cluster(readConnection());
  return shared;
}

/** `prefix` plus a random suffix: a DNS-1123 name that no earlier test used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
