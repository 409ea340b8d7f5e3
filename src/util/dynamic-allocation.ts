import * as api from '../api';
import { DynamicAllocation } from '../dynamic-allocation';
import { wholeMilliseconds } from './validation';

/**
 * Renders dynamic allocation (its bounds are checked by `validate()` on the rendered spec). It returns
 * the v1beta2 wire type, so it lives here and not in `dynamic-allocation.ts`, which `index.ts` exports.
 */
export function renderDynamicAllocation(da: DynamicAllocation): api.DynamicAllocation {
  return {
    enabled: true,
    initialExecutors: da.initialExecutors,
    minExecutors: da.minExecutors,
    maxExecutors: da.maxExecutors,
    shuffleTrackingEnabled: da.shuffleTracking ?? true,
    shuffleTrackingTimeout: da.shuffleTrackingTimeout
      ? wholeMilliseconds('dynamicAllocation.shuffleTrackingTimeout', da.shuffleTrackingTimeout, 0)
      : undefined,
  };
}
