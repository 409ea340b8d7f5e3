import { Duration } from 'cdk8s';
import { WebhookTls, WebhookTlsMode } from '../src';

describe('WebhookTls', () => {
  test('selfManaged() is the self-managed mode', () => {
    // THEN
    expect(WebhookTls.selfManaged().mode).toBe(WebhookTlsMode.SELF_MANAGED);
  });

  test('certManager() is the cert-manager mode', () => {
    // THEN
    expect(WebhookTls.certManager().mode).toBe(WebhookTlsMode.CERT_MANAGER);
  });

  test('certManager() rejects a duration under cert-manager\'s minimum', () => {
    // THEN
    expect(() => WebhookTls.certManager({ duration: Duration.minutes(30) })).toThrow(new Error(
      "'duration' must be at least 1 hour, cert-manager's minimum (got 1800s)"));
  });

  test('certManager() rejects renewBefore not shorter than duration', () => {
    // THEN
    expect(() => WebhookTls.certManager({ duration: Duration.hours(2), renewBefore: Duration.hours(2) })).toThrow(new Error(
      "'renewBefore' must be at least 5 minutes and shorter than 'duration' (got 7200s)"));
  });

  test('certManager() rejects a bad issuer name', () => {
    // THEN
    expect(() => WebhookTls.certManager({ issuerRef: { name: 'Corp CA' } })).toThrow(new Error(
      '\'issuerRef.name\' must be a valid object name (got "Corp CA")'));
  });
});
