import * as kplus from 'cdk8s-plus-28';

/**
 * The Service (and Ingress) the operator puts in front of the Spark UI (`spec.sparkUIOptions`).
 */
export interface SparkUiOptions {
  /**
   * Port of the UI Service, 1-65535.
   *
   * @default - `spark.ui.port`, else 4040
   */
  readonly servicePort?: number;

  /**
   * Name of the UI Service port.
   *
   * @default 'spark-driver-ui-port'
   */
  readonly servicePortName?: string;

  /**
   * Type of the UI Service.
   *
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;

  /**
   * Annotations of the UI Service.
   *
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };

  /**
   * Labels of the UI Service.
   *
   * @default - none
   */
  readonly serviceLabels?: { [key: string]: string };

  /**
   * Annotations of the UI Ingress (created when the SparkOperator sets `controller.uiIngressUrlFormat`, flag `--ingress-url-format`).
   *
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };

  /**
   * TLS of the UI Ingress.
   *
   * @default - no TLS
   */
  readonly ingressTls?: kplus.IngressTls[];
}

/**
 * Another driver port exposed through a Service and an Ingress (`spec.driverIngressOptions[]`),
 * for example a Spark Connect or a custom HTTP endpoint.
 */
export interface DriverIngressOptions {
  /** Port of the Service (and of the driver container), 1-65535. */
  readonly servicePort: number;

  /** Name of the Service port. */
  readonly servicePortName: string;

  /**
   * Type of the Service.
   *
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;

  /**
   * Annotations of the Service.
   *
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };

  /**
   * Labels of the Service.
   *
   * @default - none
   */
  readonly serviceLabels?: { [key: string]: string };

  /**
   * URL of the Ingress; `{{$appName}}`, `{{$appNamespace}}` and `{{$appId}}` are replaced.
   */
  readonly ingressUrlFormat: string;

  /**
   * Annotations of the Ingress.
   *
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };

  /**
   * TLS of the Ingress.
   *
   * @default - no TLS
   */
  readonly ingressTls?: kplus.IngressTls[];
}
