/**
 * sparkctl's command line: the commands, their flags, usage lines and examples, and the parser
 * (Node's `util.parseArgs`). Pure: `parseCommandLine(argv)` returns what to run or throws a
 * `UsageError`; `helpText()` is what `--help` prints.
 */
import { parseArgs, ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

/** The program's name in usage lines and messages. */
export const PROGRAM = 'sparkctl';

/**
 * The driver annotation `rerun` stamps: a spec change the controller (ours or upstream's) answers
 * with a new submission, and a trace on the driver pod of why it ran again.
 */
export const RERUN_ANNOTATION = 'sparkctl.cdk8s-spark.dev/rerun-at';

/** `forward`'s local port when `--local-port` sets none: the Spark UI's own default, as a local Spark shows it. */
export const DEFAULT_LOCAL_PORT = 4040;

/** The output formats of `-o`. */
export const OUTPUT_FORMATS = ['table', 'wide', 'yaml', 'json'] as const;
/** One output format. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { readonly help: string; readonly value?: string };

/** Flags every command that talks to a cluster takes, as kubectl spells them. */
const CLUSTER_OPTIONS: Record<string, OptionSpec> = {
  kubeconfig: { type: 'string', value: 'FILE', help: 'the kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)' },
  context: { type: 'string', value: 'NAME', help: 'the kubeconfig context to use (default: its current context)' },
  namespace: { type: 'string', short: 'n', value: 'NAME', help: 'the namespace (default: the context\'s namespace, else default)' },
};

const ALL_NAMESPACES: Record<string, OptionSpec> = {
  'all-namespaces': { type: 'boolean', short: 'A', help: 'every namespace' },
};

const OUTPUT: Record<string, OptionSpec> = {
  output: { type: 'string', short: 'o', value: 'FORMAT', help: `the output format: ${OUTPUT_FORMATS.join(', ')} (default: table)` },
};

const SCHEDULED: Record<string, OptionSpec> = {
  scheduled: { type: 'boolean', help: 'a ScheduledSparkApplication rather than a SparkApplication' },
};

const CONNECT: Record<string, OptionSpec> = {
  connect: { type: 'boolean', help: 'a SparkConnect (sparkoperator.k8s.io/v1alpha1) rather than a SparkApplication' },
};

const HELP: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** What a command is: its arguments, flags and help. */
export interface CommandSpec {
  readonly name: string;
  /** The arguments after the command name, as the usage line shows them. */
  readonly args: string;
  /** How many positional arguments it takes: [min, max]. */
  readonly arity: readonly [number, number];
  readonly summary: string;
  readonly description: string;
  /** One example per line. */
  readonly example: string;
  readonly options: Record<string, OptionSpec>;
}

/** The commands, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'lint',
    args: 'FILE...',
    arity: [1, Infinity],
    summary: 'check SparkApplication and ScheduledSparkApplication YAML offline',
    description: 'Checks every SparkApplication and ScheduledSparkApplication of the files (other kinds are skipped) with the rules the '
      + 'controller and the webhook apply, and prints each problem as file:line:column: field.path: message. Exits 1 when there is '
      + 'any problem. No cluster is needed; - reads standard input.',
    example: `${PROGRAM} lint dist/*.k8s.yaml`,
    options: {},
  },
  {
    name: 'list',
    args: '',
    arity: [0, 0],
    summary: 'list SparkApplications (or ScheduledSparkApplications, or SparkConnects) with their state',
    description: 'Lists the SparkApplications of the namespace (or of every namespace with -A): state, attempts, start, finish and age; '
      + 'with --scheduled, the ScheduledSparkApplications: schedule, suspension, state, last and next run; with --connect, the '
      + 'SparkConnects: state, server pod, the address clients connect to, executors by phase.',
    example: `${PROGRAM} list -n analytics --watch\n${PROGRAM} list --connect -A`,
    options: {
      ...CLUSTER_OPTIONS,
      ...ALL_NAMESPACES,
      ...OUTPUT,
      ...SCHEDULED,
      ...CONNECT,
      watch: { type: 'boolean', short: 'w', help: 'keep watching: redraw as states change (in a terminal), or print each change as a line (when piped); Ctrl-C stops' },
    },
  },
  {
    name: 'status',
    args: 'NAME',
    arity: [1, 1],
    summary: 'show a SparkApplication\'s state, driver, executors and last events',
    description: 'Shows the state of a SparkApplication, its error message, its driver and executors, and its last Events; with '
      + '--scheduled, a ScheduledSparkApplication\'s schedule, state, last and next run, its runs and its last Events; with --connect, '
      + 'a SparkConnect\'s state and why, its server pod, Service and address (sc://...), its executors and its last Events.',
    example: `${PROGRAM} status spark-pi -n analytics\n${PROGRAM} status --connect notebooks -n analytics`,
    options: { ...CLUSTER_OPTIONS, ...OUTPUT, ...SCHEDULED, ...CONNECT },
  },
  {
    name: 'create',
    args: '-f FILE',
    arity: [0, 0],
    summary: 'create the SparkApplications and ScheduledSparkApplications of a file',
    description: 'Checks the Spark objects of the file as lint does, then creates them (other kinds are skipped). Nothing is created '
      + 'when a check fails. Objects without a namespace go to the namespace of -n or of the context.',
    example: `${PROGRAM} create -f spark-pi.yaml -n analytics`,
    options: { ...CLUSTER_OPTIONS, filename: { type: 'string', short: 'f', value: 'FILE', help: 'the YAML or JSON file (- for standard input)' } },
  },
  {
    name: 'delete',
    args: 'NAME',
    arity: [1, 1],
    summary: 'delete a SparkApplication (its driver and executors go with it)',
    description: 'Deletes a SparkApplication, or with --scheduled a ScheduledSparkApplication and its runs.',
    example: `${PROGRAM} delete spark-pi -n analytics`,
    options: { ...CLUSTER_OPTIONS, ...SCHEDULED },
  },
  {
    name: 'suspend',
    args: 'NAME',
    arity: [1, 1],
    summary: 'suspend a SparkApplication (sets spec.suspend)',
    description: 'Sets spec.suspend to true: the controller deletes the driver and executors and holds the application in SUSPENDED; '
      + 'with --scheduled, a ScheduledSparkApplication starts no more runs.',
    example: `${PROGRAM} suspend spark-pi -n analytics`,
    options: { ...CLUSTER_OPTIONS, ...SCHEDULED },
  },
  {
    name: 'resume',
    args: 'NAME',
    arity: [1, 1],
    summary: 'resume a suspended SparkApplication (sets spec.suspend to false)',
    description: 'Sets spec.suspend to false: the controller submits a suspended application again; with --scheduled, the schedule runs again.',
    example: `${PROGRAM} resume spark-pi -n analytics`,
    options: { ...CLUSTER_OPTIONS, ...SCHEDULED },
  },
  {
    name: 'rerun',
    args: 'NAME',
    arity: [1, 1],
    summary: 'run a finished (COMPLETED or FAILED) SparkApplication again',
    description: 'Runs a finished SparkApplication again, as a spec change does: it stamps the time into a driver annotation '
      + `(spec.driver.annotations["${RERUN_ANNOTATION}"]), and the controller (ours or upstream's) invalidates the `
      + 'finished run and submits the application again, with fresh attempt counters.',
    example: `${PROGRAM} rerun spark-pi -n analytics`,
    options: { ...CLUSTER_OPTIONS },
  },
  {
    name: 'trigger',
    args: 'NAME',
    arity: [1, 1],
    summary: 'start a run of a ScheduledSparkApplication now',
    description: 'Creates the run of a ScheduledSparkApplication that its controller would create if it were due now: named '
      + '<name>-<time in ns>, labelled and owned like a scheduled run, and subject to its concurrencyPolicy (Forbid: refused while a '
      + 'run is unfinished; Replace: the unfinished runs are deleted first).',
    example: `${PROGRAM} trigger nightly-report -n analytics`,
    options: { ...CLUSTER_OPTIONS },
  },
  {
    name: 'events',
    args: 'NAME',
    arity: [1, 1],
    summary: 'list the Events of a SparkApplication and its driver pod',
    description: 'Lists the Events of a SparkApplication and of its driver pod, oldest first.',
    example: `${PROGRAM} events spark-pi -n analytics`,
    options: { ...CLUSTER_OPTIONS, ...OUTPUT },
  },
  {
    name: 'logs',
    args: 'NAME',
    arity: [1, 1],
    summary: 'print the log of a SparkApplication\'s driver (or of one executor)',
    description: 'Prints the log of the Spark container of the driver pod, or with --executor of that executor\'s pod, as the API '
      + 'server reads it from the node (pods/log). With --follow it keeps printing until the container ends or Ctrl-C.',
    example: `${PROGRAM} logs spark-pi -n analytics --follow --tail 100`,
    options: {
      ...CLUSTER_OPTIONS,
      follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until the container ends or Ctrl-C' },
      executor: { type: 'string', value: 'ID', help: 'the executor with this id (spark-exec-id: 1, 2, ...) rather than the driver' },
      tail: { type: 'string', value: 'N', help: 'only the last N lines (default: all)' },
    },
  },
  {
    name: 'forward',
    args: 'NAME',
    arity: [1, 1],
    summary: 'open the Spark UI of a running SparkApplication\'s driver on localhost',
    description: 'Forwards a local port to the Spark UI port of the driver pod (spark.ui.port, else 4040) through the API server '
      + '(pods/portforward), and prints the URL to open. Runs until Ctrl-C.',
    example: `${PROGRAM} forward spark-pi -n analytics --local-port 4040`,
    options: {
      ...CLUSTER_OPTIONS,
      'local-port': { type: 'string', value: 'PORT', help: `the local port on 127.0.0.1 (default: ${DEFAULT_LOCAL_PORT}; 0 picks a free one)` },
    },
  },
];

/** A command line that parsed. */
export type Invocation =
  | { readonly kind: 'help'; readonly command?: CommandSpec }
  | { readonly kind: 'run'; readonly command: CommandSpec; readonly args: string[]; readonly flags: Flags };

/** The flags of a command, by their long names. */
export interface Flags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly allNamespaces: boolean;
  readonly output: OutputFormat;
  readonly filename?: string;
  readonly scheduled: boolean;
  /** `list --connect`, `status --connect`: a SparkConnect. */
  readonly connect: boolean;
  /** `list --watch`. */
  readonly watch: boolean;
  /** `logs --follow`. */
  readonly follow: boolean;
  /** `logs --executor ID`: the executor id. */
  readonly executor?: number;
  /** `logs --tail N`. */
  readonly tail?: number;
  /** `forward --local-port` (default 4040). */
  readonly localPort: number;
}

/** A whole number from `text` (digits only), else undefined. */
function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function commandNamed(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function parseConfig(options: Record<string, OptionSpec>): ParseArgsConfig['options'] {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
}

/** Node's parse errors, in sparkctl's words. */
function reworded(error: unknown, command: CommandSpec): UsageError {
  const message = String((error as { message?: unknown }).message ?? error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return new UsageError(`unknown flag ${unknown[1]} for '${PROGRAM} ${command.name}'`, command.name);
  const missing = /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(message);
  if (missing) return new UsageError(`flag ${missing[1]} needs a value`, command.name);
  const ambiguous = /^Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) return new UsageError(`flag ${ambiguous[1]} takes a value starting with '-' only as ${ambiguous[1]}=VALUE`, command.name);
  return new UsageError(message.split('\n')[0].replace(/\. To specify.*$/, ''), command.name);
}

/** The flags of any command that take a value (`-n jobs`), so that the value is not taken for the command. */
const VALUE_FLAGS = new Set(COMMANDS.flatMap((c) => Object.entries(c.options)
  .filter(([, o]) => o.type === 'string')
  .flatMap(([name, o]) => [`--${name}`, ...o.short ? [`-${o.short}`] : []])));

/** The index of the command in `argv`: the first word that is neither a flag nor a flag's value; -1 when none. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('-') || argv[i] === '-') return i;
    if (argv[i] === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (VALUE_FLAGS.has(argv[i])) i++;
  }
  return -1;
}

/** Reads `argv` (without node and the script): the command, its arguments and flags. */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const first = commandIndex(argv);
  if (first === -1) {
    if (argv.length === 0 || argv.some((a) => a === '-h' || a === '--help')) return { kind: 'help' };
    throw new UsageError(`a command is needed before ${argv[0]}: run '${PROGRAM} --help' for the list`);
  }
  if (argv[first] === 'help') {
    const target = argv[first + 1];
    if (target === undefined) return { kind: 'help' };
    const about = commandNamed(target);
    if (!about) throw new UsageError(`unknown command '${target}': run '${PROGRAM} --help' for the list`);
    return { kind: 'help', command: about };
  }
  const command = commandNamed(argv[first]);
  if (!command) throw new UsageError(`unknown command '${argv[first]}': run '${PROGRAM} --help' for the list`);
  const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: parseConfig({ ...command.options, ...HELP }), allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw reworded(error, command);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', command };
  const [min, max] = command.arity;
  if (positionals.length < min) {
    throw new UsageError(`'${PROGRAM} ${command.name}' needs ${command.args}: ${PROGRAM} ${command.name} ${command.args}`, command.name);
  }
  if (positionals.length > max) {
    throw new UsageError(`'${PROGRAM} ${command.name}' takes ${max === 0 ? 'no arguments' : command.args} (got ${positionals.slice(max).join(' ')})`, command.name);
  }
  const output = (values.output as string | undefined) ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new UsageError(`-o must be one of ${OUTPUT_FORMATS.join(', ')} (got '${output}')`, command.name);
  }
  if (values['all-namespaces'] && values.namespace !== undefined) {
    throw new UsageError('-A and -n exclude each other: give one', command.name);
  }
  if (values.scheduled && values.connect) {
    throw new UsageError('--scheduled and --connect exclude each other: give one', command.name);
  }
  if (command.name === 'create' && values.filename === undefined) {
    throw new UsageError(`'${PROGRAM} create' needs -f FILE: ${PROGRAM} create -f FILE`, command.name);
  }
  if (values.watch && (output === 'json' || output === 'yaml')) {
    throw new UsageError(`--watch prints a table: use it with -o table or -o wide (got '${output}')`, command.name);
  }
  const executorText = values.executor as string | undefined;
  const executor = wholeNumber(executorText);
  if (executorText !== undefined && (executor === undefined || executor < 1)) {
    throw new UsageError(`--executor must be an executor id, a whole number >= 1 (got '${executorText}')`, command.name);
  }
  const tailText = values.tail as string | undefined;
  const tail = wholeNumber(tailText);
  if (tailText !== undefined && tail === undefined) {
    throw new UsageError(`--tail must be a whole number of lines >= 0 (got '${tailText}')`, command.name);
  }
  const portText = values['local-port'] as string | undefined;
  const localPort = portText === undefined ? DEFAULT_LOCAL_PORT : wholeNumber(portText);
  if (localPort === undefined || localPort > 65535) {
    throw new UsageError(`--local-port must be a port number from 0 to 65535 (got '${portText}')`, command.name);
  }
  return {
    kind: 'run',
    command,
    args: positionals,
    flags: {
      kubeconfig: values.kubeconfig as string | undefined,
      context: values.context as string | undefined,
      namespace: values.namespace as string | undefined,
      allNamespaces: values['all-namespaces'] === true,
      output: output as OutputFormat,
      filename: values.filename as string | undefined,
      scheduled: values.scheduled === true,
      connect: values.connect === true,
      watch: values.watch === true,
      follow: values.follow === true,
      executor,
      tail,
      localPort,
    },
  };
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, o.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
}

function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** What `sparkctl --help` (no command) or `sparkctl COMMAND --help` prints. */
export function helpText(command?: CommandSpec): string {
  if (command) {
    return [
      `Usage: ${PROGRAM} ${command.name}${command.args ? ` ${command.args}` : ''} [flags]`,
      '',
      ...wrap(command.description),
      '',
      'Example:',
      ...command.example.split('\n').map((line) => `  ${line}`),
      '',
      'Flags:',
      ...optionLines({ ...command.options, ...HELP }),
      '',
    ].join('\n');
  }
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} COMMAND [ARGS] [flags]`,
    '',
    'Operate Spark jobs on any cluster that serves sparkoperator.k8s.io/v1beta2 (the cdk8s-spark operator or the',
    'upstream Kubeflow operator), with your kubeconfig, context and namespace as kubectl has them.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Examples:',
    `  ${PROGRAM} list -n analytics --watch`,
    `  ${PROGRAM} logs spark-pi -n analytics --follow`,
    `  ${PROGRAM} forward spark-pi -n analytics`,
    '',
    `Run '${PROGRAM} COMMAND --help' for a command's flags and an example.`,
    'Exit codes: 0 done, 1 failed (the cluster refused, lint found problems), 2 wrong command line.',
    '',
  ].join('\n');
}
