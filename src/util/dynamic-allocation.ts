import * as api from '../api';
import { DynamicAllocation } from '../dynamic-allocation';
import { requireInteger, wholeMilliseconds } from './validation';

/**
 * Validates and renders dynamic allocation; bounds must satisfy min <= initial <= max. It returns the
 * v1beta2 wire type, so it lives here and not in `dynamic-allocation.ts`, which `index.ts` exports.
 */
export function renderDynamicAllocation(da: DynamicAllocation): api.DynamicAllocation {
  requireInteger('dynamicAllocation.initialExecutors', da.initialExecutors, 0);
  requireInteger('dynamicAllocation.minExecutors', da.minExecutors, 0);
  requireInteger('dynamicAllocation.maxExecutors', da.maxExecutors, 1);
  const { initialExecutors: initial, minExecutors: min, maxExecutors: max } = da;
  if (min !== undefined && max !== undefined && min > max) {
    throw new Error(`'dynamicAllocation.minExecutors' (${min}) must be <= 'dynamicAllocation.maxExecutors' (${max})`);
  }
  if (initial !== undefined && min !== undefined && initial < min) {
    throw new Error(`'dynamicAllocation.initialExecutors' (${initial}) must be >= 'dynamicAllocation.minExecutors' (${min})`);
  }
  if (initial !== undefined && max !== undefined && initial > max) {
    throw new Error(`'dynamicAllocation.initialExecutors' (${initial}) must be <= 'dynamicAllocation.maxExecutors' (${max})`);
  }
  return {
    enabled: true,
    initialExecutors: initial,
    minExecutors: min,
    maxExecutors: max,
    shuffleTrackingEnabled: da.shuffleTracking ?? true,
    shuffleTrackingTimeout: da.shuffleTrackingTimeout
      ? wholeMilliseconds('dynamicAllocation.shuffleTrackingTimeout', da.shuffleTrackingTimeout, 0)
      : undefined,
  };
}
