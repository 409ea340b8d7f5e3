/**
 * `npm run bench`: the benchmark (see docs/benchmarks.md). The only file
 * that touches `process`: reads the arguments, runs the benchmark, prints the table and writes
 * latest.json (or quick.json), table.md and chart.svg into bench/results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBenchArgs } from './options';
import { renderChart } from './report/chart';
import { renderTables } from './report/table';
import { runBench } from './run';

async function main(args: string[]): Promise<void> {
  const options = parseBenchArgs(args);
  const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  const results = await runBench(options, log);
  const outDir = path.resolve(options.outDir ?? path.join(__dirname, 'results'));
  fs.mkdirSync(outDir, { recursive: true });
  const stem = options.quick ? 'quick' : 'latest';
  const table = renderTables(results);
  fs.writeFileSync(path.join(outDir, `${stem}.json`), `${JSON.stringify(results, null, 1)}\n`);
  fs.writeFileSync(path.join(outDir, `${stem === 'latest' ? '' : 'quick-'}table.md`), table);
  fs.writeFileSync(path.join(outDir, `${stem === 'latest' ? '' : 'quick-'}chart.svg`), renderChart(results));
  process.stdout.write(`\n${table}`);
  log(`results in ${path.relative(process.cwd(), outDir)}/ (${stem}.json, table.md, chart.svg); took ${results.durationSeconds}s`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`[bench] error: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
