import * as fs from 'node:fs';
import { stringify } from 'yaml';

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly uid?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/**
 * What to apply: a path (a YAML/JSON file, or a directory applied recursively, such as the output
 * of `cdk8s synth`), one object, or a list of objects.
 */
export type ManifestSource = string | KubeObject | readonly KubeObject[];

/** Options of `applyManifests`. */
export interface ApplyOptions {
  /**
   * `true` or `'server'`: the API server admits, validates and defaults the objects but stores
   * nothing (`--dry-run=server`); `'client'`: kubectl only prints them.
   * @default false
   */
  readonly dryRun?: boolean | 'server' | 'client';
  /** Namespace for objects that name none. @default - the kubeconfig's namespace */
  readonly namespace?: string;
  /** Apply as this identity (see `kubeconfigFor`). @default - the admin */
  readonly kubeconfig?: string;
  /**
   * Server-side apply (`--server-side`) instead of kubectl's client-side three-way merge, which
   * stores the whole object in the `last-applied-configuration` annotation. It forces conflicts: a
   * test states the objects it needs, whoever applied them before (the real-node test applies the
   * README's install, CRDs included, with a client-side `kubectl apply`).
   * @default false
   */
  readonly serverSide?: boolean;
  /** Field manager of server-side apply. @default "cdk8s-spark-e2e" */
  readonly fieldManager?: string;
}

/** The kubectl arguments and stdin for an apply of `source`. */
export function applyCommand(source: ManifestSource, options: ApplyOptions = {}): { args: string[]; input?: string } {
  const args = ['apply', '-o', 'json'];
  let input: string | undefined;
  if (typeof source === 'string') {
    args.push('-f', source);
    if (fs.statSync(source).isDirectory()) {
      args.push('--recursive');
    }
  } else {
    const objects = Array.isArray(source) ? source : [source as KubeObject];
    if (objects.length === 0) {
      throw new Error('applyManifests: no objects to apply');
    }
    args.push('-f', '-');
    input = objects.map((o) => stringify(o)).join('---\n');
  }
  const dryRun = options.dryRun === true ? 'server' : options.dryRun || undefined;
  if (dryRun) {
    args.push(`--dry-run=${dryRun}`);
  }
  if (options.namespace) {
    args.push('--namespace', options.namespace);
  }
  if (options.serverSide) {
    args.push('--server-side', '--force-conflicts', `--field-manager=${options.fieldManager ?? 'cdk8s-spark-e2e'}`);
  }
  return { args, input };
}

/** The objects in kubectl's `-o json` output: one object, or a `List` of them. */
export function parseApplyOutput(stdout: string): KubeObject[] {
  const text = stdout.trim();
  if (!text) {
    return [];
  }
  const parsed = JSON.parse(text) as KubeObject & { items?: KubeObject[] };
  return parsed.kind === 'List' && Array.isArray(parsed.items) ? parsed.items : [parsed];
}
