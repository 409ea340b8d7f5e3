import * as kplus from 'cdk8s-plus-28';
import { DeployMode, LogLevel, PythonVersion, RestartPolicyType, SparkApplicationType, SparkSecretType } from '../../src';
import {
  CONCURRENCY_POLICIES, DEPLOY_MODES, PYTHON_VERSIONS, RESTART_POLICY_TYPES, SECRET_TYPES, SPARK_APPLICATION_TYPES,
} from '../../src/api';
import { LOG_LEVELS } from '../../src/core';

// The constructs' enums are assigned to the wire model's unions without casts, so TypeScript checks
// that every enum value is a wire value; these tests check the other way: no wire value is missing.
test.each([
  ['SparkApplicationType', SparkApplicationType, SPARK_APPLICATION_TYPES],
  ['DeployMode', DeployMode, DEPLOY_MODES],
  ['RestartPolicyType', RestartPolicyType, RESTART_POLICY_TYPES],
  ['SparkSecretType', SparkSecretType, SECRET_TYPES],
  ['PythonVersion', PythonVersion, PYTHON_VERSIONS],
  ['kplus.ConcurrencyPolicy', kplus.ConcurrencyPolicy, CONCURRENCY_POLICIES],
  ['LogLevel', LogLevel, LOG_LEVELS],
])('%s has exactly the values of the wire model', (_, enumObject, values) => {
  expect(Object.values(enumObject).sort()).toEqual([...values].sort());
});
