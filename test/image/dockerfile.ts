/**
 * A small reader of the repository's Dockerfile: instructions with their arguments, grouped in
 * stages. Enough for the tests that hold the image to the runtime contract, and for the end-to-end
 * harness that lays out the image's files to run them; not a general Dockerfile parser (no
 * heredocs, no parser directives beyond comments).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's Dockerfile. */
export const DOCKERFILE = path.resolve(__dirname, '..', '..', 'Dockerfile');

/** One instruction: `COPY --from=build a b` is `{ keyword: 'COPY', flags: { from: 'build' }, args: ['a', 'b'] }`. */
export interface Instruction {
  readonly keyword: string;
  readonly flags: Readonly<Record<string, string>>;
  /** The arguments: the JSON array of the exec form, or the words of the shell form. */
  readonly args: readonly string[];
  /** True for the exec (JSON array) form. */
  readonly execForm: boolean;
  /** The text after the keyword, continuation lines joined. */
  readonly text: string;
}

/** A stage: `FROM <base> [AS <name>]` and what follows it. */
export interface Stage {
  readonly base: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

/** The instructions of `text`, in order. */
export function parseInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  if (current.trim() !== '') throw new Error(`the Dockerfile ends inside a continued line: ${JSON.stringify(current.trim())}`);
  return logical.map((line) => {
    const match = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = match[1].toUpperCase();
    let rest = match[2];
    const flags: Record<string, string> = {};
    for (let flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest); flag; flag = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
      flags[flag[1]] = flag[2];
      rest = rest.slice(flag[0].length);
    }
    const execForm = rest.startsWith('[');
    const args = execForm ? (JSON.parse(rest) as string[]) : rest.split(/\s+/).filter((w) => w !== '');
    return { keyword, flags, args, execForm, text: match[2] };
  });
}

/** The stages of `text`, in order. */
export function parseStages(text: string): Stage[] {
  const stages: Array<{ base: string; name?: string; instructions: Instruction[] }> = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [base, as, name] = instruction.args;
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${instruction.keyword} before the first FROM`);
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** The stages of the repository's Dockerfile. */
export function repositoryDockerfile(): Stage[] {
  return parseStages(fs.readFileSync(DOCKERFILE, 'utf8'));
}

/** The last instruction of `keyword` in `stage`, which is the one that counts. */
export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return [...stage.instructions].reverse().find((i) => i.keyword === keyword);
}
