// Conversions of cdk8s and cdk8s-plus values (Size, Duration, ContainerResources) into what Kubernetes
// and cert-manager read.
import { Duration, Size } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { binaryQuantity } from '../core';

/** Renders a Size as a Kubernetes quantity in the largest binary unit that represents it exactly. */
function quantity(size: Size): k8s.Quantity {
  const kib = size.toKibibytes();
  if (!Number.isInteger(kib)) {
    throw new Error(`memory sizes must be whole kibibytes (got ${kib}Ki)`);
  }
  return k8s.Quantity.fromString(binaryQuantity(kib));
}

/** The requests and limits of a container, as Kubernetes quantities. */
export function toKubeResources(resources: ContainerResources): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  if (resources.cpu?.request) requests.cpu = k8s.Quantity.fromString(resources.cpu.request.amount);
  if (resources.cpu?.limit) limits.cpu = k8s.Quantity.fromString(resources.cpu.limit.amount);
  if (resources.memory?.request) requests.memory = quantity(resources.memory.request);
  if (resources.memory?.limit) limits.memory = quantity(resources.memory.limit);
  if (resources.ephemeralStorage?.request) requests['ephemeral-storage'] = quantity(resources.ephemeralStorage.request);
  if (resources.ephemeralStorage?.limit) limits['ephemeral-storage'] = quantity(resources.ephemeralStorage.limit);
  return {
    requests: Object.keys(requests).length > 0 ? requests : undefined,
    limits: Object.keys(limits).length > 0 ? limits : undefined,
  };
}

/** A Go duration string (what cert-manager reads), in the largest whole unit. */
export function goDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
