/**
 * A small, typed description of command-line flags: each flag is written once, with its value type,
 * default and meaning, and from that one description come the arguments the `SparkOperator`
 * construct renders (`toArgs`), the parser the runtime runs (`parseArgs`), `--help`, and the
 * README's flag tables (checked by a test).
 */

/** How a flag's value is written and read. */
export interface FlagCodec<T> {
  /** What the value looks like, for `--help` (`<port>`). */
  readonly placeholder: string;
  /** The value as it is written after `=`. */
  format(value: T): string;
  /** The value read from its text, or a message (without subject) saying why it cannot be. */
  parse(text: string): { value: T } | { problem: string };
  /** Why a value (not its text) cannot be, or undefined: the constructs check their props with it. */
  check?(value: T): string | undefined;
}

/** One flag of a sub-command, bound to a key of that sub-command's options. */
export interface Flag<O> {
  /** The flag without dashes: `metrics-port`. */
  readonly name: string;
  /** The options key it sets. */
  readonly key: keyof O & string;
  /** How its value is written and read; `undefined` for a switch (`--all-namespaces`) of a boolean key. */
  readonly codec?: FlagCodec<any>;
  /** The value when the flag is absent (the runtime's default); `undefined`: unset. */
  readonly default?: unknown;
  /** The default as the README states it (`8080`, `<name>-controller-lock`). */
  readonly documentedDefault: string;
  /** What it means, one line. */
  readonly description: string;
  /** Rendered and accepted only when this holds for the options (another flag decides). */
  readonly when?: (options: O) => boolean;
  /** When `when` holds, in words for the error message: `with --tls-mode=files`. */
  readonly whenText?: string;
}

/** The codec of an integer from `min` to `max`. */
export function integerCodec(min: number, max: number, placeholder: string): FlagCodec<number> {
  const outOfRange = (value: number) => !Number.isInteger(value) || value < min || value > max;
  return {
    placeholder,
    format: (value) => String(value),
    parse: (text) => {
      const value = Number(text);
      if (!/^\d+$/.test(text) || outOfRange(value)) return { problem: `must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})` };
      return { value };
    },
    check: (value) => (outOfRange(value) ? `must be an integer from ${min} to ${max} (got ${value})` : undefined),
  };
}

/** The codec of a port number. */
export const PORT: FlagCodec<number> = integerCodec(1, 65535, '<port>');

/** `true` or `false`, written out: a switch whose default is on could not be turned off. */
export const BOOLEAN: FlagCodec<boolean> = {
  placeholder: '<true|false>',
  format: (value) => String(value),
  parse: (text) => (text === 'true' || text === 'false' ? { value: text === 'true' } : { problem: `must be true or false (got ${JSON.stringify(text)})` }),
};

/** The codec of a whole number of seconds written `<N>s`. */
export const SECONDS: FlagCodec<number> = {
  placeholder: '<N>s',
  format: (value) => `${value}s`,
  parse: (text) => {
    const match = /^(\d+)s$/.exec(text);
    if (!match || Number(match[1]) < 1) return { problem: `must be a whole number of seconds >= 1 such as 3600s (got ${JSON.stringify(text)})` };
    return { value: Number(match[1]) };
  },
};

/** The codec of a whole number of seconds written `<N>s`, where `0s` means never. */
export const SECONDS_OR_NEVER: FlagCodec<number> = {
  placeholder: '<N>s',
  format: (value) => `${value}s`,
  parse: (text) => {
    const match = /^(\d+)s$/.exec(text);
    if (!match) return { problem: `must be a whole number of seconds such as 600s, or 0s for never (got ${JSON.stringify(text)})` };
    return { value: Number(match[1]) };
  },
};

/** The codec of a string that `problem` accepts (`problem` returns a message or undefined). */
export function stringCodec(placeholder: string, problem?: (text: string) => string | undefined): FlagCodec<string> {
  return {
    placeholder,
    format: (value) => value,
    parse: (text) => {
      const found = text === '' ? 'must not be empty' : problem?.(text);
      return found ? { problem: found } : { value: text };
    },
  };
}

/** The codec of one of a closed set of words. */
export function oneOfCodec<T extends string>(values: readonly T[]): FlagCodec<T> {
  return {
    placeholder: `<${values.join('|')}>`,
    format: (value) => value,
    parse: (text) => ((values as readonly string[]).includes(text)
      ? { value: text as T }
      : { problem: `must be one of ${values.join(', ')} (got ${JSON.stringify(text)})` }),
  };
}

/** The codec of a comma-separated list whose entries `problem` accepts. */
export function listCodec(placeholder: string, problem: (entry: string) => string | undefined): FlagCodec<string[]> {
  return {
    placeholder,
    format: (value) => value.join(','),
    parse: (text) => {
      const entries = text.split(',');
      for (const entry of entries) {
        const found = problem(entry);
        if (found) return { problem: found };
      }
      return { value: entries };
    },
  };
}

/**
 * The codec of a comma-separated list that may be empty (`--flag=` is the empty list), checked as a
 * whole by `problem`.
 */
export function wholeListCodec(placeholder: string, problem: (entries: string[]) => string | undefined): FlagCodec<string[]> {
  return {
    placeholder,
    format: (value) => value.join(','),
    parse: (text) => {
      const entries = text === '' ? [] : text.split(',');
      const found = problem(entries);
      return found ? { problem: found } : { value: entries };
    },
  };
}

/** The codec of a comma-separated list of decimal numbers (`0.5,1,2`), checked as a whole by `problem`. */
export function numberListCodec(placeholder: string, problem: (values: number[]) => string | undefined): FlagCodec<number[]> {
  return {
    placeholder,
    format: (value) => value.join(','),
    parse: (text) => {
      const entries = text.split(',');
      if (!entries.every((e) => /^\d+(\.\d+)?$/.test(e))) return { problem: `must be comma-separated numbers such as 0.5,1,2 (got ${JSON.stringify(text)})` };
      const values = entries.map(Number);
      const found = problem(values);
      return found ? { problem: found } : { value: values };
    },
  };
}

/** The arguments for `options`, one per flag whose value is set, in the order of `flags`. */
export function flagsToArgs<O>(flags: ReadonlyArray<Flag<O>>, options: O): string[] {
  const args: string[] = [];
  for (const flag of flags) {
    if (flag.when && !flag.when(options)) continue;
    const value = options[flag.key];
    if (value === undefined) continue;
    if (!flag.codec) {
      if (value === true) args.push(`--${flag.name}`);
      continue;
    }
    args.push(`--${flag.name}=${flag.codec.format(value)}`);
  }
  return args;
}

/** What parsing the flags of a sub-command gave: the options, or every problem found. */
export type FlagsResult<O> = { readonly options: O; readonly problems?: undefined } | { readonly options?: undefined; readonly problems: string[] };

/**
 * Reads `--name=value` and `--switch` arguments into options, filling defaults. Refuses unknown,
 * repeated, value-less and unparsable flags, and flags that another flag rules out (`when`).
 */
export function parseFlags<O>(command: string, flags: ReadonlyArray<Flag<O>>, args: readonly string[]): FlagsResult<O> {
  const problems: string[] = [];
  const given: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const arg of args) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    const flag = match ? flags.find((f) => f.name === match[1]) : undefined;
    if (!match || !flag) {
      problems.push(`unknown argument ${JSON.stringify(arg)} for '${command}' (see '${command} --help')`);
      continue;
    }
    if (seen.has(flag.name)) {
      problems.push(`--${flag.name} is given twice`);
      continue;
    }
    seen.add(flag.name);
    const text = match[2];
    if (!flag.codec) {
      if (text !== undefined) problems.push(`--${flag.name} takes no value (got ${JSON.stringify(arg)})`);
      else given[flag.key] = true;
      continue;
    }
    if (text === undefined) {
      problems.push(`--${flag.name} needs a value: --${flag.name}=${flag.codec.placeholder}`);
      continue;
    }
    const parsed = flag.codec.parse(text);
    if ('problem' in parsed) problems.push(`--${flag.name} ${parsed.problem}`);
    else given[flag.key] = parsed.value;
  }
  // Defaults first for the flags that decide (`--tls-mode`), then for those that depend on them.
  const options: Record<string, unknown> = { ...given };
  for (const flag of flags) {
    if (!flag.when && options[flag.key] === undefined && flag.default !== undefined) options[flag.key] = flag.default;
  }
  for (const flag of flags) {
    if (!flag.when || flag.when(options as O)) {
      if (options[flag.key] === undefined && flag.default !== undefined) options[flag.key] = flag.default;
    } else if (seen.has(flag.name)) {
      problems.push(`--${flag.name} is only used ${flag.whenText ?? 'with other flags'}`);
    }
  }
  return problems.length > 0 ? { problems } : { options: options as O };
}

/** The `--help` text of a sub-command: a line per flag with its value, default and meaning. */
export function flagsHelp<O>(command: string, summary: string, flags: ReadonlyArray<Flag<O>>): string {
  const rows = flags.map((f) => [`--${f.name}${f.codec ? `=${f.codec.placeholder}` : ''}`, `${f.description} (default: ${f.documentedDefault})`]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`Usage: ${command} [flags]`, '', summary, '', 'Flags:', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}
