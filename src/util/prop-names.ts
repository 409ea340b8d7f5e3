import { FieldNamer } from '../core';

/** Wire field names whose construct prop has another name. */
const PROP_OF_FIELD: Readonly<Record<string, string>> = {
  deps: 'dependencies',
  sparkUIOptions: 'sparkUi',
  driverIngressOptions: 'driverIngresses',
  timeToLiveSeconds: 'timeToLive',
  ingressURLFormat: 'ingressUrlFormat',
  ingressTLS: 'ingressTls',
  shuffleTrackingEnabled: 'shuffleTracking',
  terminationGracePeriodSeconds: 'terminationGracePeriod',
  batchSchedulerOptions: 'batchScheduler',
};

/**
 * Names a field path of the rendered object by the prop that set it, so that a problem found by
 * `validate()` reads in the user's words: `spec.driverIngressOptions[1].servicePort` becomes
 * `'driverIngresses[1].servicePort'`. Paths under `metadata` keep their name.
 *
 * @param specPath where the application's spec sits: `spec`, or `spec.template` of a scheduled one
 * @param overrides props for whole paths that the rules above cannot derive
 */
export function propNamer(specPath: string, overrides: Readonly<Record<string, string>> = {}): FieldNamer {
  return (path) => {
    const override = overrides[path];
    if (override !== undefined) return `'${override}'`;
    if (!path.startsWith(`${specPath}.`)) return `'${path}'`;
    const props = path.slice(specPath.length + 1).split('.').map((segment) => {
      const [, field, index] = /^([^[]*)(.*)$/.exec(segment)!;
      return `${PROP_OF_FIELD[field] ?? field}${index}`;
    });
    return `'${props.join('.')}'`;
  };
}
