/**
 * `sparkctl`: the only file that touches `process`. It reads the command line, runs the command and
 * turns any failure into one line on stderr and an exit code (0 done, 1 failed, 2 wrong command line).
 */
import * as fs from 'node:fs';
import { Flags, Invocation, PROGRAM, helpText, parseCommandLine } from './args';
import * as commands from './commands';
import { EXIT, UsageError, errorLine, exitCodeOf } from './errors';
import { useColor } from './format';
import { Kube } from './kube';

function io(): commands.Io {
  let kube: Promise<Kube> | undefined;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color: useColor(process.stdout.isTTY, process.env),
    now: () => Date.now(),
    readFile: (file) => fs.readFileSync(file === '-' ? 0 : file, 'utf8'),
    kube: (flags: Flags) => (kube ??= Kube.load(flags)),
  };
}

async function run(invocation: Invocation): Promise<number> {
  if (invocation.kind === 'help') {
    process.stdout.write(helpText(invocation.command));
    return EXIT.ok;
  }
  const { command, args, flags } = invocation;
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

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
