/**
 * The checks of the Pod Security Standard "restricted" level (Kubernetes 1.28, policy version
 * `latest`), applied to a pod spec as the Pod Security admission controller applies them. Each
 * violation is reported as `<check>: <detail>`, so a failing test says which rule broke.
 *
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

/** Volume types the restricted level allows. */
const ALLOWED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

const ALLOWED_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
]);

/** The "restricted" violations of a pod spec (empty when it complies). */
export function restrictedViolations(podSpec: any): string[] {
  const violations: string[] = [];
  const podContext = podSpec.securityContext ?? {};
  const containers: any[] = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? []), ...(podSpec.ephemeralContainers ?? [])];

  // Baseline checks (restricted includes them).
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[field] === true) violations.push(`host namespaces: ${field}=true`);
  }
  for (const volume of podSpec.volumes ?? []) {
    const types = Object.keys(volume).filter((k) => k !== 'name');
    for (const type of types) {
      if (!ALLOWED_VOLUME_TYPES.has(type)) violations.push(`restricted volume types: volume ${volume.name} uses ${type}`);
    }
  }
  for (const sysctl of podContext.sysctls ?? []) {
    if (!ALLOWED_SYSCTLS.has(sysctl.name)) violations.push(`sysctls: ${sysctl.name}`);
  }
  if (podContext.seLinuxOptions?.type !== undefined && !['container_t', 'container_init_t', 'container_kvm_t'].includes(podContext.seLinuxOptions.type)) {
    violations.push(`seLinuxOptions: type ${podContext.seLinuxOptions.type}`);
  }
  if (podContext.runAsUser === 0) violations.push('runAsUser: pod runAsUser=0');

  // Pod-level seccomp satisfies containers that set none.
  const podSeccompOk = ['RuntimeDefault', 'Localhost'].includes(podContext.seccompProfile?.type);
  if (podContext.seccompProfile !== undefined && !podSeccompOk) {
    violations.push(`seccompProfile: pod type ${podContext.seccompProfile.type}`);
  }

  for (const c of containers) {
    const ctx = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (ctx.privileged === true) violations.push(`privileged: ${where}`);
    for (const port of c.ports ?? []) {
      if (port.hostPort !== undefined && port.hostPort !== 0) violations.push(`hostPorts: ${where} uses ${port.hostPort}`);
    }
    if (ctx.procMount !== undefined && ctx.procMount !== 'Default') violations.push(`procMount: ${where}`);
    if (ctx.allowPrivilegeEscalation !== false) violations.push(`allowPrivilegeEscalation: ${where} must set it to false`);
    const runAsNonRoot = ctx.runAsNonRoot ?? podContext.runAsNonRoot;
    if (runAsNonRoot !== true) violations.push(`runAsNonRoot: ${where} must run as non-root`);
    if (ctx.runAsUser === 0) violations.push(`runAsUser: ${where} runAsUser=0`);
    const seccompType = ctx.seccompProfile?.type;
    if (seccompType !== undefined ? !['RuntimeDefault', 'Localhost'].includes(seccompType) : !podSeccompOk) {
      violations.push(`seccompProfile: ${where} must use RuntimeDefault or Localhost`);
    }
    const drop: string[] = ctx.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) violations.push(`capabilities: ${where} must drop ALL`);
    for (const cap of ctx.capabilities?.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE') violations.push(`capabilities: ${where} adds ${cap}`);
    }
  }
  return violations;
}
