/**
 * Ingress URL formats, as upstream writes them (`--ingress-url-format` for the Spark UI, and
 * `spec.driverIngressOptions[].ingressURLFormat`): a URL with placeholders, `http://` when no scheme
 * is given. One place decides which formats are valid and how they are filled, so that the flag
 * parser, the construct, `validate()` and the controller agree.
 */

/** The placeholders, as upstream names them. */
export const INGRESS_URL_PLACEHOLDERS = ['{{$appName}}', '{{$appNamespace}}', '{{$appId}}'] as const;

/** The values the placeholders are filled with. */
export interface IngressUrlValues {
  readonly appName: string;
  readonly appNamespace: string;
  /** The Spark application id; empty before the driver has one. */
  readonly appId: string;
}

/** The URL of `format` with its placeholders filled, `http://` when it names no scheme; throws when it is no URL. */
export function fillIngressUrl(format: string, values: IngressUrlValues): URL {
  const filled = format
    .replace(/{{\$appName}}/g, values.appName)
    .replace(/{{\$appNamespace}}/g, values.appNamespace)
    .replace(/{{\$appId}}/g, values.appId);
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(filled) ? filled : `http://${filled}`);
}

/**
 * Why `format` cannot be an ingress URL format (whitespace, an unknown placeholder, no URL once
 * filled), as a message without subject, or undefined when it can.
 */
export function ingressUrlProblem(format: string): string | undefined {
  if (format === '' || /\s/.test(format)) {
    return `must be a URL without whitespace, such as '{{$appName}}.spark.example.com' (got ${JSON.stringify(format)})`;
  }
  for (const placeholder of format.match(/{{[^}]*}}/g) ?? []) {
    if (!(INGRESS_URL_PLACEHOLDERS as readonly string[]).includes(placeholder)) {
      return `has an unknown placeholder ${placeholder}: use ${INGRESS_URL_PLACEHOLDERS.join(', ')} (got ${JSON.stringify(format)})`;
    }
  }
  try {
    fillIngressUrl(format, { appName: 'app', appNamespace: 'namespace', appId: 'spark-0123' });
  } catch {
    return `is not a URL once its placeholders are filled (got ${JSON.stringify(format)})`;
  }
  return undefined;
}

/**
 * Why `format` is not a usable `--ingress-url-format` (one URL per application, so it must name the
 * application), as a message without subject, or undefined when it is.
 */
export function ingressUrlFormatProblem(format: string): string | undefined {
  const problem = ingressUrlProblem(format);
  if (problem) return problem;
  if (!format.includes('{{$appName}}') && !format.includes('{{$appId}}')) {
    return `must contain {{$appName}} or {{$appId}}, so that applications do not share a URL (got ${JSON.stringify(format)})`;
  }
  return undefined;
}
