import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ArgoCdHealthChecks, ArgoCdSyncWaves, SparkOperator } from '../src';

describe('ArgoCdSyncWaves', () => {
  test('custom() rejects a wave that is not an integer', () => {
    // THEN
    expect(() => ArgoCdSyncWaves.custom({ rbac: 0.5 })).toThrow(new Error("'syncWaves.rbac' must be an integer (got 0.5)"));
  });
});

describe('ArgoCdHealthChecks', () => {
  const SPARK_APPLICATION = 'resource.customizations.health.sparkoperator.k8s.io_SparkApplication';
  const SCHEDULED = 'resource.customizations.health.sparkoperator.k8s.io_ScheduledSparkApplication';
  const CONNECT = 'resource.customizations.health.sparkoperator.k8s.io_SparkConnect';

  test('configMapEntries() gives one argocd-cm key per kind, in the resource.customizations.health.<group>_<kind> form', () => {
    // WHEN
    const entries = ArgoCdHealthChecks.configMapEntries();
    // THEN
    expect(Object.keys(entries)).toEqual([SPARK_APPLICATION, SCHEDULED, CONNECT]);
    expect(entries[CONNECT]).toMatch(/^-- Argo CD health of a sparkoperator.k8s.io\/v1alpha1 SparkConnect/);
    expect(entries[SPARK_APPLICATION]).toMatch(/^-- Argo CD health of a sparkoperator.k8s.io\/v1beta2 SparkApplication/);
    expect(entries[SCHEDULED]).toMatch(/^-- Argo CD health of a sparkoperator.k8s.io\/v1beta2 ScheduledSparkApplication/);
    expect(entries[SCHEDULED]).toContain('local lastRunFailureDegrades = true\n');
  });

  test('the scripts use no Lua library Argo CD leaves closed for argocd-cm scripts', () => {
    // Argo CD opens only base, table, package (and a reduced os) unless useOpenLibs is set.
    for (const script of Object.values(ArgoCdHealthChecks.configMapEntries())) {
      expect(script).not.toMatch(/\b(string|math|io|os|debug|coroutine)\./);
    }
  });

  test('lastRunFailureDegrades false changes only the ScheduledSparkApplication script', () => {
    // WHEN
    const defaults = ArgoCdHealthChecks.configMapEntries();
    const lenient = ArgoCdHealthChecks.configMapEntries({ lastRunFailureDegrades: false });
    // THEN
    expect(lenient[SPARK_APPLICATION]).toBe(defaults[SPARK_APPLICATION]);
    expect(lenient[SCHEDULED]).toBe(defaults[SCHEDULED].replace('local lastRunFailureDegrades = true\n', 'local lastRunFailureDegrades = false\n'));
  });

  test('SparkOperator.argoCdHealthChecks() gives the same entries', () => {
    // GIVEN
    const operator = new SparkOperator(Testing.chart(), 'spark');
    // THEN
    expect(operator.argoCdHealthChecks()).toEqual(ArgoCdHealthChecks.configMapEntries());
    const lenient = { lastRunFailureDegrades: false };
    expect(operator.argoCdHealthChecks(lenient)).toEqual(ArgoCdHealthChecks.configMapEntries(lenient));
  });

  test('the README\'s argocd-cm snippet shows every key with the first line of its script', () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    // THEN
    for (const [key, script] of Object.entries(ArgoCdHealthChecks.configMapEntries())) {
      expect(readme).toContain(`    ${key}: |\n      ${script.split('\n')[0]}\n`);
    }
  });
});
