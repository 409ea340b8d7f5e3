/**
 * `sparkctl`: the only file that touches `process`. It reads the command line, runs the command and
 * turns any failure into one line on stderr and an exit code (0 done, 1 failed, 2 wrong command line).
 */
import { Flags, Invocation, PROGRAM, helpText, parseCommandLine } from './args';
import type { Io } from './commands';
import { EXIT, UsageError, errorLine, exitCodeOf } from './errors';
import type { Kube } from './kube';
import { useColor } from './terminal';
import { readFileBounded } from '../manifests/bounded-read';

/** Aborted by Ctrl-C or SIGTERM once a command asked for it (`io.interrupted()`); until then the signals end sparkctl as usual. */
let interruption: AbortController | undefined;

function interrupted(): AbortSignal {
  if (!interruption) {
    const controller = new AbortController();
    interruption = controller;
    const stop = () => {
      // A second Ctrl-C while the first one's cleanup hangs ends at once.
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
  return interruption.signal;
}

function io(): Io {
  let kube: Promise<Kube> | undefined;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color: useColor(process.stdout.isTTY, process.env),
    now: () => Date.now(),
    readFile: (file) => readFileBounded(file),
    // The API client is loaded by the first command that needs it: `lint` never does.
    kube: (flags: Flags) => (kube ??= import('./kube.js').then(({ Kube: Client }) => Client.load(flags))),
    interrupted,
    columns: () => process.stdout.columns,
    isTerminal: process.stdout.isTTY === true,
  };
}

async function run(invocation: Invocation): Promise<number> {
  if (invocation.kind === 'help') {
    process.stdout.write(helpText(invocation.command));
    return EXIT.ok;
  }
  const { command, args, flags } = invocation;
  // The commands (and the YAML parser, the shared rules, the API client) are loaded only now:
  // `--help` and a wrong command line answer without them.
  const commands = await import('./commands.js');
  const out = io();
  switch (command.name) {
    case 'lint': return commands.lint(out, args);
    case 'list': return commands.list(out, flags);
    case 'status': return commands.status(out, flags, args[0]);
    case 'events': return commands.events(out, flags, args[0]);
    case 'create': return commands.create(out, flags);
    case 'delete': return commands.remove(out, flags, args[0]);
    case 'suspend': return commands.setSuspend(out, flags, args[0], true);
    case 'resume': return commands.setSuspend(out, flags, args[0], false);
    case 'rerun': return commands.rerun(out, flags, args[0]);
    case 'trigger': return commands.trigger(out, flags, args[0]);
    case 'logs': return commands.logs(out, flags, args[0]);
    case 'forward': return commands.forward(out, flags, args[0]);
    default: throw new UsageError(`unknown command '${command.name}'`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(parseCommandLine(argv));
  } catch (error) {
    process.stderr.write(`${errorLine(error)}\n`);
    if (error instanceof UsageError && error.command) process.stderr.write(`Run '${PROGRAM} ${error.command} --help' for its usage.\n`);
    return exitCodeOf(error);
  }
}

// `sparkctl list | head -1`: a reader that closes the pipe early is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  process.stderr.write(`${errorLine(error)}\n`);
  process.exit(EXIT.failed);
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // After Ctrl-C, connections still closing (a forwarded WebSocket's close handshake) must not keep
  // sparkctl waiting: exit once what was printed is written.
  if (interruption?.signal.aborted) process.stdout.write('', () => process.exit(code));
});
