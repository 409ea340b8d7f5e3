/**
 * One synthesis, run as its own process by `bench/synth/main.ts`: `count` SparkApplications in one
 * chart, either with our construct or with the untyped class `cdk8s import` generates from our CRD
 * (given the very spec ours renders), then `app.synth()` into `outdir`. Prints the process's peak
 * resident set and the CPU time it used as JSON on stdout. Compiled to plain JavaScript before it runs, so no TypeScript
 * compiler runs inside the measurement.
 *
 *   node workload.js ours <count> <outdir> <path of lib/index.js>
 *   node workload.js l1 <count> <outdir> <path of the imported module> <spec.json>
 *   node workload.js l1+plus+lib+wrapped <count> <outdir> <path of the imported module> <spec.json> <path of lib/index.js>
 *
 * The `+` variants of `l1` split the difference between the two (`--decompose`): `+plus` loads
 * cdk8s-plus-28 too, `+lib` our library too (without using it), `+wrapped` puts each imported object
 * under a construct of its own as the child `Resource`, the tree ours builds.
 */
import * as fs from 'node:fs';

/**
 * Loads a module when the run asks for it: which modules a run loads is part of what is measured
 * (the imported classes need no cdk8s-plus), and two of them are named on the command line.
 */
function load(module: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(module);
}

function main(): void {
  const [mode, countText, outdir, modulePath, specFile, libPath] = process.argv.slice(2);
  const count = Number(countText);
  // Loaded here, as an app loads them: the cost of loading counts.
  const { App, Chart, Size } = load('cdk8s');
  const app = new App({ outdir });
  const chart = new Chart(app, 'jobs', { namespace: 'spark-jobs' });
  if (mode === 'ours') {
    const { SparkApplication } = load(modulePath);
    const kplus = load('cdk8s-plus-28');
    const serviceAccount = kplus.ServiceAccount.fromServiceAccountName(chart, 'spark', 'spark');
    for (let i = 0; i < count; i++) {
      new SparkApplication(chart, `pi-${i}`, {
        metadata: { name: `pi-${i}` },
        image: 'apache/spark:3.5.1',
        sparkVersion: '3.5.1',
        mainClass: 'org.apache.spark.examples.SparkPi',
        mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
        arguments: ['1000'],
        serviceAccount,
        driver: { memory: Size.mebibytes(512) },
        executor: { instances: 2, memory: Size.mebibytes(512) },
      });
    }
  } else if (mode === 'l1' || mode.startsWith('l1+')) {
    const { SparkApplication } = load(modulePath);
    const variants = mode.split('+').slice(1);
    if (variants.includes('plus')) load('cdk8s-plus-28');
    if (variants.includes('lib')) load(libPath);
    const wrapper = variants.includes('wrapped') ? load('constructs').Construct : undefined;
    // Each application gets a spec object of its own, as ours gets its props: a program writes the
    // literal in its loop. The literal is compiled once from the JSON (no parse per application).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    const specLiteral = new Function(`return ${fs.readFileSync(specFile, 'utf8')};`) as () => Record<string, unknown>;
    for (let i = 0; i < count; i++) {
      const spec = specLiteral();
      if (wrapper) new SparkApplication(new wrapper(chart, `pi-${i}`), 'Resource', { metadata: { name: `pi-${i}` }, spec });
      else new SparkApplication(chart, `pi-${i}`, { metadata: { name: `pi-${i}` }, spec });
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  app.synth();
  const usage = process.resourceUsage();
  process.stdout.write(JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
}

main();
