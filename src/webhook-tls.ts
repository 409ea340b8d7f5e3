import { Duration } from 'cdk8s';

/** The kind of a cert-manager issuer. */
export enum CertManagerIssuerKind {
  /** A namespaced `Issuer`, in the operator namespace. */
  ISSUER = 'Issuer',
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
}

/** A reference to an existing cert-manager issuer that signs the webhook's serving certificate. */
export interface CertManagerIssuerRef {
  /** Name of the issuer. */
  readonly name: string;

  /**
   * Kind of the issuer.
   *
   * @default CertManagerIssuerKind.ISSUER
   */
  readonly kind?: CertManagerIssuerKind;

  /**
   * API group of the issuer; set it for external issuers.
   *
   * @default 'cert-manager.io'
   */
  readonly group?: string;
}

/** Options of {@link WebhookTls.certManager}. */
export interface CertManagerTlsOptions {
  /**
   * The issuer that signs the serving certificate.
   *
   * @default - a self-signed `Issuer` named `<name>-webhook-selfsigned` is rendered next to the Certificate
   */
  readonly issuerRef?: CertManagerIssuerRef;

  /**
   * Requested lifetime of the certificate (cert-manager's `spec.duration`).
   *
   * @default - cert-manager's default (90 days)
   */
  readonly duration?: Duration;

  /**
   * How long before expiry cert-manager renews the certificate (`spec.renewBefore`).
   *
   * @default - cert-manager's default (a third of the duration)
   */
  readonly renewBefore?: Duration;
}

/** How TLS is set up. */
export enum WebhookTlsMode {
  /** The webhook generates its CA and serving certificate at run time. */
  SELF_MANAGED = 'self-managed',
  /** cert-manager issues the serving certificate and injects the CA. */
  CERT_MANAGER = 'cert-manager',
}

/**
 * Where the admission webhook's serving certificate comes from.
 *
 * Either way nothing secret and nothing that changes at run time is rendered: no Secret, no
 * `caBundle`.
 */
export class WebhookTls {
  /**
   * The webhook manages TLS itself: at start-up it creates (or reuses) a CA and serving certificate
   * in a Secret it owns, `<name>-webhook-certs`, and writes the CA into the `caBundle` of the two
   * webhook configurations. Nothing to install first; pair it with
   * `SparkOperator.argoCdIgnoreDifferences()` so Argo CD leaves `caBundle` alone.
   */
  public static selfManaged(): WebhookTls {
    return new WebhookTls(WebhookTlsMode.SELF_MANAGED, {});
  }

  /**
   * cert-manager issues the serving certificate into the Secret `<name>-webhook-certs`, which the
   * webhook pod mounts; its CA injector fills `caBundle` (annotation `cert-manager.io/inject-ca-from`).
   * Needs cert-manager in the cluster.
   *
   * @param options the issuer and certificate lifetime
   */
  public static certManager(options: CertManagerTlsOptions = {}): WebhookTls {
    const duration = options.duration?.toSeconds();
    const renewBefore = options.renewBefore?.toSeconds();
    if (duration !== undefined && duration < 3600) {
      throw new Error(`'duration' must be at least 1 hour, cert-manager's minimum (got ${duration}s)`);
    }
    if (renewBefore !== undefined && (renewBefore < 300 || (duration !== undefined && renewBefore >= duration))) {
      throw new Error(`'renewBefore' must be at least 5 minutes and shorter than 'duration' (got ${renewBefore}s)`);
    }
    if (options.issuerRef !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(options.issuerRef.name)) {
      throw new Error(`'issuerRef.name' must be a valid object name (got ${JSON.stringify(options.issuerRef.name)})`);
    }
    return new WebhookTls(WebhookTlsMode.CERT_MANAGER, options);
  }

  private constructor(
    /** How TLS is set up. */
    public readonly mode: WebhookTlsMode,
    private readonly options: CertManagerTlsOptions,
  ) {}

  /** @internal the cert-manager options (empty when self-managed) */
  public get _certManager(): CertManagerTlsOptions {
    return this.options;
  }
}
