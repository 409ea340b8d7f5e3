/**
 * The API server's request counters, read from its Prometheus text: `apiserver_request_total` and
 * the sums of `apiserver_request_duration_seconds`, per verb and resource. Pure.
 */

/** Requests per `verb resource[/subresource]` and the seconds the API server spent on them. */
export interface RequestCounts {
  readonly [verbAndResource: string]: { readonly count: number; readonly seconds: number };
}

/**
 * Reads `apiserver_request_total` and the sum of `apiserver_request_duration_seconds` from a
 * Prometheus text exposition, per `VERB resource[/subresource]`; WATCH and CONNECT are left out (a
 * watch lasts as long as it is open). Pure.
 */
export function parseRequestCounts(text: string): RequestCounts {
  const counts: Record<string, { count: number; seconds: number }> = {};
  const line = /^(apiserver_request_total|apiserver_request_duration_seconds_sum)\{([^}]*)\} (\S+)$/;
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (labels.verb === 'WATCH' || labels.verb === 'CONNECT' || !labels.resource) continue;
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''}`;
    const entry = (counts[key] ??= { count: 0, seconds: 0 });
    if (m[1] === 'apiserver_request_total') entry.count += Number(m[3]);
    else entry.seconds += Number(m[3]);
  }
  return counts;
}

/** `after - before`, keeping only the keys that changed. Pure. */
export function diffRequestCounts(before: RequestCounts, after: RequestCounts): RequestCounts {
  const out: Record<string, { count: number; seconds: number }> = {};
  for (const [key, a] of Object.entries(after)) {
    const b = before[key] ?? { count: 0, seconds: 0 };
    if (a.count - b.count > 0) out[key] = { count: a.count - b.count, seconds: a.seconds - b.seconds };
  }
  return out;
}
