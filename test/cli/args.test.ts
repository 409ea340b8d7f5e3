import { COMMANDS, PROGRAM, helpText, parseCommandLine } from '../../src/cli/args';
import { EXIT, UsageError } from '../../src/cli/errors';

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('the command line', () => {
  test('flags go before or after the command, with kubectl\'s names', () => {
    // WHEN
    const invocation = parseCommandLine(['-n', 'jobs', 'status', 'spark-pi', '--context', 'prod', '-o', 'yaml', '--kubeconfig', '/k']);

    // THEN
    expect(invocation).toMatchObject({
      kind: 'run',
      command: { name: 'status' },
      args: ['spark-pi'],
      flags: { namespace: 'jobs', context: 'prod', output: 'yaml', kubeconfig: '/k', allNamespaces: false },
    });
  });

  test('-A lists every namespace; table is the default output', () => {
    expect(parseCommandLine(['list', '-A'])).toMatchObject({ flags: { allNamespaces: true, output: 'table' } });
  });

  test.each(COMMANDS.map((c) => [c.name]))('%s has --help and -h, with a usage line naming the program and an example', (name) => {
    // WHEN
    const long = parseCommandLine([name, '--help']);
    const short = parseCommandLine([name, '-h']);

    // THEN
    expect(long).toEqual(short);
    expect(long.kind).toBe('help');
    const text = helpText((long as { command: typeof COMMANDS[number] }).command);
    expect(text).toMatch(new RegExp(`^Usage: ${PROGRAM} ${name}`));
    expect(text).toContain(`Example:\n  ${PROGRAM} ${name} `);
  });

  test('no arguments, --help, -h and help print the overview', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) expect(parseCommandLine(argv)).toEqual({ kind: 'help' });
    expect(helpText()).toMatch(/^Usage: sparkctl COMMAND/);
  });

  test.each([
    [['frobnicate'], "unknown command 'frobnicate': run 'sparkctl --help' for the list"],
    [['list', '--frob'], "unknown flag --frob for 'sparkctl list'"],
    [['lint', '-n', 'x', 'a.yaml'], "unknown flag -n for 'sparkctl lint'"],
    [['status'], "'sparkctl status' needs NAME: sparkctl status NAME"],
    [['status', 'a', 'b'], "'sparkctl status' takes NAME (got b)"],
    [['list', 'a'], "'sparkctl list' takes no arguments (got a)"],
    [['list', '-o', 'xml'], "-o must be one of table, wide, yaml, json (got 'xml')"],
    [['list', '-A', '-n', 'x'], '-A and -n exclude each other: give one'],
    [['create'], "'sparkctl create' needs -f FILE: sparkctl create -f FILE"],
    [['list', '-n'], 'flag --namespace needs a value'],
    [['lint'], "'sparkctl lint' needs FILE...: sparkctl lint FILE..."],
  ])('%j is refused: %s', (argv, message) => {
    // WHEN
    const error = usageError(argv);

    // THEN
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(EXIT.usage);
  });
});
