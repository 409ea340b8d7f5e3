import { FAKE_NODE_ANNOTATION_KEY, FAKE_NODE_ANNOTATION_VALUE } from './kwok-stages';

/** Allocatable resources of one fake node. */
export interface NodeCapacity {
  /** @default "32" */
  readonly cpu?: string;
  /** @default "128Gi" */
  readonly memory?: string;
  /** @default "110" */
  readonly pods?: string;
  /** Local disk for pods (a real kubelet reports its node's root filesystem). @default "100Gi" */
  readonly ephemeralStorage?: string;
}

/** Label that every fake node carries, for node selectors in tests. */
export const FAKE_NODE_LABEL_KEY = 'type';
export const FAKE_NODE_LABEL_VALUE = 'kwok';

/**
 * The Node objects kwok will manage: annotated for kwok's `--manage-nodes-with-annotation-selector`,
 * with capacity in their status (a real kubelet registers its node the same way, status included)
 * and their own pod CIDR, so every pod gets a distinct IP.
 */
export function fakeNodeManifests(count: number, capacity: NodeCapacity = {}): Record<string, unknown>[] {
  const resources = {
    'cpu': capacity.cpu ?? '32',
    'memory': capacity.memory ?? '128Gi',
    'pods': capacity.pods ?? '110',
    'ephemeral-storage': capacity.ephemeralStorage ?? '100Gi',
  };
  return Array.from({ length: count }, (_, i) => {
    const name = `kwok-node-${i}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { [FAKE_NODE_ANNOTATION_KEY]: FAKE_NODE_ANNOTATION_VALUE, 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          [FAKE_NODE_LABEL_KEY]: FAKE_NODE_LABEL_VALUE,
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/os': 'linux',
          'kubernetes.io/hostname': name,
          'node-role.kubernetes.io/agent': '',
        },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      status: { allocatable: resources, capacity: resources },
    };
  });
}
