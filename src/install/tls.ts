// The admission webhook's serving certificate: what each WebhookTls mode renders and how the webhook
// pod is set up for it.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { WEBHOOK_CERT_DIR, WebhookOptions, webhookCertSecretName } from '../core';
import { CertManagerTlsOptions, WebhookTls, WebhookTlsMode } from '../webhook-tls';
import { OperatorIdentity, objectMetadata } from './metadata';
import { webhookSelfManagedTlsRbac } from './rbac';
import { goDuration } from './units';
import { PodVolume } from './workloads';


/** What the webhook Deployment and its configurations take from the TLS mode. */
export interface WebhookTlsSetup {
  /** The webhook's TLS options (rendered as its `--tls-*` flags). */
  readonly options: Pick<WebhookOptions, 'tlsMode' | 'tlsSecretName' | 'tlsSecretNamespace' | 'serviceName' | 'serviceNamespace' | 'webhookConfigurationName' | 'tlsCertDir'>;
  /** The certificate volume, when the webhook reads its certificate from files. */
  readonly volumes: PodVolume[];
  /** Annotations of the webhook configurations, besides the sync wave. */
  readonly webhookConfigurationAnnotations: Record<string, string>;
}

/**
 * Renders what the TLS mode needs (self-managed: RBAC for the certificate Secret and the `caBundle`;
 * cert-manager: an Issuer and a Certificate) and says how to set up the webhook for it.
 *
 * @param webhookName the name of the webhook's ServiceAccount, Service and webhook configurations
 */
export function webhookTls(scope: Construct, identity: OperatorIdentity, tls: WebhookTls, webhookName: string): WebhookTlsSetup {
  const secretName = webhookCertSecretName(identity.name);
  if (tls.mode === WebhookTlsMode.SELF_MANAGED) {
    webhookSelfManagedTlsRbac(scope, identity, webhookName, secretName);
    return {
      options: {
        tlsMode: 'self-managed',
        tlsSecretName: secretName,
        tlsSecretNamespace: identity.namespace,
        serviceName: webhookName,
        serviceNamespace: identity.namespace,
        webhookConfigurationName: webhookName,
      },
      volumes: [],
      webhookConfigurationAnnotations: {},
    };
  }
  certManagerObjects(scope, identity, tls._certManager, webhookName, secretName);
  return {
    options: { tlsMode: 'files', tlsCertDir: WEBHOOK_CERT_DIR },
    volumes: [{
      volume: { name: 'certs', secret: { secretName, defaultMode: 0o440 } },
      mount: { name: 'certs', mountPath: WEBHOOK_CERT_DIR, readOnly: true },
    }],
    webhookConfigurationAnnotations: { 'cert-manager.io/inject-ca-from': `${identity.namespace}/${webhookName}` },
  };
}

/** The cert-manager Certificate of the webhook Service (and a self-signed Issuer when none is given). */
function certManagerObjects(
  scope: Construct,
  identity: OperatorIdentity,
  options: CertManagerTlsOptions,
  webhookName: string,
  secretName: string,
): void {
  let issuerRef = options.issuerRef;
  if (issuerRef === undefined) {
    const issuerName = `${webhookName}-selfsigned`;
    new ApiObject(scope, 'WebhookIssuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: objectMetadata(identity, issuerName, 'webhook', identity.namespace),
      spec: { selfSigned: {} },
    });
    issuerRef = { name: issuerName };
  }
  new ApiObject(scope, 'WebhookCertificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: objectMetadata(identity, webhookName, 'webhook', identity.namespace),
    spec: {
      secretName,
      dnsNames: [
        `${webhookName}.${identity.namespace}.svc`,
        `${webhookName}.${identity.namespace}.svc.cluster.local`,
      ],
      issuerRef: {
        name: issuerRef.name,
        kind: issuerRef.kind ?? 'Issuer',
        group: issuerRef.group ?? 'cert-manager.io',
      },
      duration: options.duration === undefined ? undefined : goDuration(options.duration),
      renewBefore: options.renewBefore === undefined ? undefined : goDuration(options.renewBefore),
    },
  });
}
