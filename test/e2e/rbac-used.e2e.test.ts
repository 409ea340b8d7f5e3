/*
 * The RBAC that `SparkOperator` renders for its controller and its webhook, against what those
 * components asked the API server for during the whole e2e run (its audit log, harness/
 * control-plane.ts): every verb rendered is used, and every verb used is rendered.
 *
 * It runs last (harness/sequencer.js): what it reads is what every other file made the controllers
 * and the webhooks do (submissions, reruns, deletions, TTL, schedules, crashes that leave objects to
 * adopt, certificate rotation). Run on its own, it finds the verbs unused and says so.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { OperatorBatchScheduler } from '../../src';
import { readConnection } from './harness/connection';
import { synthesizeOperator } from './harness/operator';

const connection = readConnection();

/**
 * Granted but never asked for in a request, with the reason: the API server checks them itself.
 * The OwnerReferencesPermissionEnforcement admission plugin (enabled in the e2e control plane) asks
 * for `update` on an owner's finalizers when an owner reference sets `blockOwnerDeletion`, which the
 * driver resources', scheduled runs' and SparkConnect objects' references do.
 */
const CHECKED_BY_ADMISSION = new Set([
  'sparkoperator.k8s.io sparkapplications/finalizers update',
  'sparkoperator.k8s.io scheduledsparkapplications/finalizers update',
  'sparkoperator.k8s.io sparkconnects/finalizers update',
]);

/** A permission as `<group> <resource>[/<subresource>] <verb>` (the core group is `""`). */
function permission(group: string | undefined, resource: string, verb: string): string {
  return `${group || '""'} ${resource} ${verb}`;
}

/** What the Roles and ClusterRoles bound to `account` (in `install`) grant it. */
function granted(install: any[], account: { namespace: string; name: string }): Set<string> {
  const bound = install.filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')
    && (o.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === account.name && s.namespace === account.namespace));
  const roles = bound.map((b) => install.find((o) => o.kind === b.roleRef.kind && o.metadata.name === b.roleRef.name
    && (o.kind === 'ClusterRole' || o.metadata.namespace === b.metadata.namespace)));
  const out = new Set<string>();
  for (const role of roles) {
    for (const rule of role.rules ?? []) {
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) for (const verb of rule.verbs) out.add(permission(group, resource, verb));
      }
    }
  }
  return out;
}

/** Per component (`controller`, `webhook`), the permissions its service accounts used (not kubectl run with them), from the audit log. */
async function usedByComponent(): Promise<Map<string, Set<string>>> {
  const used = new Map<string, Set<string>>([['controller', new Set()], ['webhook', new Set()]]);
  const lines = readline.createInterface({ input: fs.createReadStream(connection.auditLog), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('-controller"') && !line.includes('-webhook"')) continue;
    const event = JSON.parse(line);
    const component = /^system:serviceaccount:[^:]+:.+-(controller|webhook)$/.exec(event.user?.username ?? '')?.[1];
    const ref = event.objectRef;
    if (!component || !ref?.resource) continue; // non-resource URLs (/openapi, /version) are every user's
    // A test that runs kubectl with a component's credentials (`kubectl auth can-i`) is not the component.
    if (String(event.userAgent ?? '').startsWith('kubectl/')) continue;
    const resource = ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
    used.get(component)!.add(permission(ref.apiGroup, resource, event.verb));
  }
  return used;
}

const sorted = (s: Iterable<string>) => [...s].sort();

test('the rendered RBAC holds exactly the verbs the operator used in the run', async () => {
  // GIVEN the RBAC of the default install (what every e2e install renders, names aside), with the
  // batch schedulers batch-scheduler-objects.e2e.test.ts enables (their PodGroups)
  const install = synthesizeOperator({
    name: 'rbac-used',
    namespace: 'rbac-used',
    jobNamespaces: ['jobs'],
    batchSchedulers: [OperatorBatchScheduler.VOLCANO, OperatorBatchScheduler.YUNIKORN, OperatorBatchScheduler.kubeScheduler('kube-scheduler')],
  });
  const deploymentAccount = (component: string) => {
    const deployment = install.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === component);
    return { namespace: deployment.metadata.namespace, name: deployment.spec.template.spec.serviceAccountName };
  };
  // WHEN the audit log of the whole run is read
  const used = await usedByComponent();
  for (const component of ['controller', 'webhook']) {
    const grants = granted(install, deploymentAccount(component));
    const asked = used.get(component)!;
    // THEN the components asked for something at all (the run had them), nothing outside their RBAC,
    // and for everything in it but what admission checks itself
    expect({ component, requests: asked.size > 0 }).toEqual({ component, requests: true });
    const usedNotGranted = sorted([...asked].filter((p) => !grants.has(p)));
    expect({ component, usedNotGranted }).toEqual({ component, usedNotGranted: [] });
    const unused = sorted([...grants].filter((p) => !asked.has(p) && !CHECKED_BY_ADMISSION.has(p)));
    expect({ component, grantedNotUsed: unused, hint: unused.length > 0 ? 'this file reads what the whole e2e run did: run the whole suite' : '' })
      .toEqual({ component, grantedNotUsed: [], hint: '' });
  }
});
