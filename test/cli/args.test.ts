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
    [['list', '--scheduled', '--connect'], '--scheduled and --connect exclude each other: give one'],
    [['delete', 'x', '--connect'], "unknown flag --connect for 'sparkctl delete'"],
    [['create'], "'sparkctl create' needs -f FILE: sparkctl create -f FILE"],
    [['list', '-n'], 'flag --namespace needs a value'],
    [['lint'], "'sparkctl lint' needs FILE...: sparkctl lint FILE..."],
    [['list', '-w', '-o', 'json'], "--watch prints a table: use it with -o table or -o wide (got 'json')"],
    [['status', 'x', '--watch'], "unknown flag --watch for 'sparkctl status'"],
    [['logs'], "'sparkctl logs' needs NAME: sparkctl logs NAME"],
    [['logs', 'pi', '--executor', '0'], "--executor must be an executor id, a whole number >= 1 (got '0')"],
    [['logs', 'pi', '--executor', 'driver'], "--executor must be an executor id, a whole number >= 1 (got 'driver')"],
    [['logs', 'pi', '--tail', '-1'], "flag --tail takes a value starting with '-' only as --tail=VALUE"],
    [['logs', 'pi', '--tail=-1'], "--tail must be a whole number of lines >= 0 (got '-1')"],
    [['logs', 'pi', '--tail', '1.5'], "--tail must be a whole number of lines >= 0 (got '1.5')"],
    [['logs', 'pi', '--local-port', '1'], "unknown flag --local-port for 'sparkctl logs'"],
    [['forward', 'pi', '--local-port', '65536'], "--local-port must be a port number from 0 to 65535 (got '65536')"],
    [['forward', 'pi', '--local-port', 'http'], "--local-port must be a port number from 0 to 65535 (got 'http')"],
    [['forward', 'pi', '-f'], "unknown flag -f for 'sparkctl forward'"],
    [['forward'], "'sparkctl forward' needs NAME: sparkctl forward NAME"],
  ])('%j is refused: %s', (argv, message) => {
    // WHEN
    const error = usageError(argv);

    // THEN
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(EXIT.usage);
  });
});

describe('logs, forward and list --watch', () => {
  test('logs takes -f, --executor and --tail; the defaults follow nothing and print every line of the driver', () => {
    expect(parseCommandLine(['logs', 'spark-pi'])).toMatchObject({
      args: ['spark-pi'], flags: { follow: false, executor: undefined, tail: undefined },
    });
    expect(parseCommandLine(['logs', 'spark-pi', '-f', '--executor', '2', '--tail', '0'])).toMatchObject({
      command: { name: 'logs' }, args: ['spark-pi'], flags: { follow: true, executor: 2, tail: 0 },
    });
    expect(parseCommandLine(['-n', 'jobs', 'logs', '--follow', 'spark-pi'])).toMatchObject({ args: ['spark-pi'], flags: { follow: true, namespace: 'jobs' } });
  });

  test('forward listens on 4040 unless --local-port says otherwise (0: any free port)', () => {
    expect(parseCommandLine(['forward', 'spark-pi'])).toMatchObject({ command: { name: 'forward' }, flags: { localPort: 4040 } });
    expect(parseCommandLine(['forward', 'spark-pi', '--local-port', '0'])).toMatchObject({ flags: { localPort: 0 } });
    expect(parseCommandLine(['forward', 'spark-pi', '--local-port', '18080'])).toMatchObject({ flags: { localPort: 18080 } });
  });

  test('list takes --watch and -w, with -o wide and --scheduled', () => {
    expect(parseCommandLine(['list', '-w'])).toMatchObject({ flags: { watch: true, output: 'table' } });
    expect(parseCommandLine(['list', '--watch', '-o', 'wide', '--scheduled', '-A'])).toMatchObject({
      flags: { watch: true, output: 'wide', scheduled: true, allNamespaces: true },
    });
    expect(parseCommandLine(['list'])).toMatchObject({ flags: { watch: false } });
  });

  test('list and status take --connect, and show it in their examples', () => {
    expect(parseCommandLine(['list', '--connect', '-A', '-w'])).toMatchObject({ flags: { connect: true, scheduled: false, allNamespaces: true, watch: true } });
    expect(parseCommandLine(['status', '--connect', 'notebooks'])).toMatchObject({ args: ['notebooks'], flags: { connect: true } });
    expect(parseCommandLine(['list'])).toMatchObject({ flags: { connect: false } });
    expect(helpText(COMMANDS.find((c) => c.name === 'list'))).toContain('Example:\n  sparkctl list -n analytics --watch\n  sparkctl list --connect -A\n');
    expect(helpText(COMMANDS.find((c) => c.name === 'status'))).toContain('  sparkctl status --connect notebooks -n analytics\n');
  });

  test('the overview has an example of each of the three', () => {
    expect(helpText()).toContain('Examples:\n  sparkctl list -n analytics --watch\n  sparkctl logs spark-pi -n analytics --follow\n  sparkctl forward spark-pi -n analytics\n');
  });
});
