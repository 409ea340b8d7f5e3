/**
 * The flags of `render` (`npm run --silent render -- -f app.yaml`; later a sub-command of the
 * runtime image), typed like the controller's and read with the same parser.
 */
import { Flag, FlagCodec, flagsHelp, integerCodec, parseFlags, stringCodec } from './flags';

/** The options of `render`. */
export interface RenderOptions {
  /** `--filename` / `-f`: the YAML file with one or more SparkApplications (`-` for stdin). */
  readonly filename: string;
  /** `--attempt`: which submission attempt to render (1 is the first). */
  readonly attempt: number;
  /** `--now`: the clock of the submission. */
  readonly now: Date;
  /** `--master`: `spark.master`, when not the in-cluster default. */
  readonly master?: string;
}

/** `--now` when it is not given: the epoch, so output does not depend on when it is rendered. */
export const DEFAULT_RENDER_TIME = new Date(0);

const TIME: FlagCodec<Date> = {
  placeholder: '<ISO 8601 time>',
  format: (value) => value.toISOString(),
  parse: (text) => {
    const value = new Date(text);
    return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(value.getTime())
      ? { value }
      : { problem: `must be an ISO 8601 time such as 2026-08-18T10:00:00Z (got ${JSON.stringify(text)})` };
  },
};

/** The flags of `render`, in the order `--help` lists them. */
export const RENDER_FLAGS: ReadonlyArray<Flag<RenderOptions>> = [
  { name: 'filename', key: 'filename', codec: stringCodec('<file.yaml>'), documentedDefault: 'required; also -f <file.yaml>', description: 'the YAML file with one or more SparkApplications (- reads stdin)' },
  { name: 'attempt', key: 'attempt', codec: integerCodec(1, 1_000_000, '<n>'), default: 1, documentedDefault: '1', description: 'which submission attempt to render' },
  { name: 'now', key: 'now', codec: TIME, default: DEFAULT_RENDER_TIME, documentedDefault: '1970-01-01T00:00:00Z', description: 'the clock of the submission (spark.app.submitTime, the date line of spark.properties)' },
  {
    name: 'master',
    key: 'master',
    codec: stringCodec('k8s://https://<host>:<port>', (text) => (text.startsWith('k8s://') ? undefined : `must start with k8s:// (got ${JSON.stringify(text)})`)),
    documentedDefault: 'k8s://https://kubernetes.default.svc:443',
    description: 'spark.master of the submission',
  },
];

const SUMMARY = 'Prints the objects the controller would create for the SparkApplications of a file: driver pod, ConfigMap and Service.';

/** What `render` was asked to do. */
export type ParsedRenderArgs =
  | { readonly command: 'render'; readonly options: RenderOptions }
  | { readonly command: 'help'; readonly text: string }
  | { readonly command: 'error'; readonly problems: string[] };

/** Reads the arguments of `render` (`-f <file>` is `--filename=<file>`). */
export function parseRenderArgs(argv: readonly string[]): ParsedRenderArgs {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-f') args.push(`--filename=${argv[++i] ?? ''}`);
    else args.push(argv[i]);
  }
  if (args.includes('--help')) return { command: 'help', text: flagsHelp('render', SUMMARY, RENDER_FLAGS) };
  const result = parseFlags('render', RENDER_FLAGS, args);
  if (result.problems) return { command: 'error', problems: result.problems };
  if (!result.options.filename) return { command: 'error', problems: ['--filename=<file.yaml> (or -f <file.yaml>) is required'] };
  return { command: 'render', options: result.options };
}
