import { cdk8s, javascript } from 'projen';

/**
 * cdk8s-spark: a cdk8s construct library (jsii, like cdk8s-plus) plus the runtime image and sparkctl.
 *
 * Only `src/index.ts` and what it exports form the jsii API. `src/runtime` (controller, webhook),
 * `src/cli` (sparkctl), `src/kube` (the Kubernetes client both use) and `src/manifests` (how both
 * read manifest files) are excluded from the jsii
 * compilation and bundled separately, so they may use any npm package without leaking into the
 * construct library's public types.
 */
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-spark',
  description: 'Run Apache Spark on Kubernetes from code: cdk8s constructs, an operator runtime and sparkctl for the sparkoperator.k8s.io/v1beta2 API',
  author: 'cdk8s-spark maintainers',
  authorAddress: 'https://github.com/cdk8s-spark/cdk8s-spark',
  repositoryUrl: 'https://github.com/cdk8s-spark/cdk8s-spark.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk8s', 'kubernetes', 'spark', 'spark-operator', 'gitops'],

  // cdk8s-plus-28 (frozen at 2.5.6) declares peers cdk8s ^2.68.11 and constructs ^10.3.0.
  cdk8sVersion: '2.68.12',
  constructsVersion: '10.3.0',
  jsiiVersion: '~5.9.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // The one cron parser (src/core/schedule.ts), with IANA time zones and no dependencies of its own:
  // the constructs' synth-time check and the scheduled controller read schedules the same way.
  // jsii libraries ship their non-jsii dependencies bundled.
  bundledDeps: ['croner@^11.0.1'],
  devDeps: [
    'cdk8s-plus-28@2.5.6',
    'cdk8s-cli@^2.200.0',
    // Schema checks in tests: our CRDs (ajv) and built-in kinds (kubernetes-models validators).
    'ajv@^8',
    'fast-check@^3',
    'yaml@^2',
    // The runtime talks to the API server through the official client (bundled into the image), and
    // so do the end-to-end tests.
    '@kubernetes/client-node@^1',
    // The runtime's Prometheus metrics (src/runtime/telemetry): the field's client library, bundled
    // into the runtime like the API client; the construct library never loads it.
    'prom-client@^15',
    // The webhook's self-managed TLS (src/runtime/webhook/tls) writes X.509 certificates, which Node's
    // crypto cannot: @peculiar/x509 builds them over WebCrypto (native ECDSA P-256 keys and signatures),
    // typed, bundled into the runtime. Its dependency injection (tsyringe) needs a Reflect metadata
    // polyfill loaded first; reflect-metadata is the one its documentation names.
    '@peculiar/x509@^2',
    'reflect-metadata@^0.2',
    // Bundles the runtime into one JavaScript file that plain `node` runs (the image holds only it).
    'esbuild@^0.28',
    // Kubernetes schemas for built-in objects: 4.4.x is Kubernetes 1.27 (4.5 jumps to 1.31); valid for
    // 1.27 means valid for 1.28 for the stable kinds we render, which only gained fields.
    'kubernetes-models@~4.4.2',
    '@kubernetes-models/cert-manager@~4.4.4',
    '@kubernetes-models/prometheus-operator@~4.4.4',
  ],

  // The runtime and the CLI are not part of the jsii API (see ARCHITECTURE.md).
  excludeTypescript: ['src/runtime/**', 'src/cli/**', 'src/kube/**', 'src/manifests/**'],

  // No publishing from this repository's CI: no GitHub workflows, no release automation.
  github: false,
  release: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  docgen: true,

  // Bindings for Python, Java and Go, built by jsii-pacmak and smoke-tested by `npm test`
  // (test/dist/). No .NET: this machine has no .NET SDK to build or test it with.
  publishToPypi: { distName: 'cdk8s-spark', module: 'cdk8s_spark' },
  publishToMaven: { mavenGroupId: 'io.github.cdk8s-spark', mavenArtifactId: 'cdk8s-spark', javaPackage: 'io.github.cdk8s_spark' },
  publishToGo: { moduleName: 'github.com/cdk8s-spark/cdk8s-spark-go', packageName: 'cdk8sspark' },
  // Keep dist/ for `cdk8s synth` output; jsii-pacmak packages go elsewhere.
  artifactsDirectory: 'build/package',

  jestOptions: {
    // Snapshots must be reviewed: a drifting snapshot fails the test run instead of being rewritten.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/dist/'],
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/test/'],
    },
  },
  gitignore: ['/dist/', '/build/', '.ci-logs/'],
  tsconfig: {
    compilerOptions: {
      // No source maps in lib/: they would point stack traces at src/*.ts, which the package does not
      // ship; lib/*.js is readable ES2022 and is what the traces name instead.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
});

// The layering of docs/ARCHITECTURE.md, enforced: the wire model imports nothing, the shared rules
// only the wire model, the Kubernetes client only those two, the runtime and the CLI only those,
// the client and the CRD builders, and no construct (nor anything the constructs use) imports the
// runtime, the CLI or the client.
const CONSTRUCT_SIDE = ['./src/*.ts', './src/install/**', './src/util/**', './src/crds/**', './src/core/**', './src/api/**'];
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './src/api', from: './src', except: ['./api'], message: 'src/api (the wire model) imports nothing of ours.' },
      { target: './src/core', from: './src', except: ['./api', './core'], message: 'src/core (the shared rules) imports only src/api.' },
      { target: './src/crds', from: './src', except: ['./api', './core', './crds'], message: 'src/crds imports only src/api and src/core.' },
      { target: './src/manifests', from: './src', except: ['./api', './core', './crds', './manifests'], message: 'src/manifests imports only src/api, src/core and src/crds.' },
      { target: './src/kube', from: './src', except: ['./api', './core', './kube'], message: 'src/kube (the Kubernetes client) imports only src/api and src/core.' },
      { target: './src/runtime', from: './src', except: ['./api', './core', './crds', './kube', './manifests', './runtime'], message: 'src/runtime imports only src/api, src/core, src/crds, src/kube and src/manifests.' },
      { target: './src/cli', from: './src', except: ['./api', './core', './crds', './kube', './manifests', './cli'], message: 'src/cli imports only src/api, src/core, src/crds, src/kube and src/manifests.' },
      { target: CONSTRUCT_SIDE, from: ['./src/runtime', './src/cli', './src/kube', './src/manifests'], message: 'The construct library never imports the runtime, the CLI, the Kubernetes client or the manifest reader.' },
    ],
  }],
});
// The published package holds what users run (lib/*.js, lib/*.d.ts, .jsii) and read (README, API.md,
// LICENSE); test/dist/package.dist.test.ts checks the tarball against that list.
// 'build/package' (the jsii outdir) is spelled as jsii-pacmak spells it, so that pacmak finds it and
// leaves the file alone.
// The runtime bundle goes into the image, not the library; docs/ is for contributors (README and API.md are for users).
project.npmignore?.exclude('/.ci/', '/bench/', '/Dockerfile', '/.dockerignore', '/scripts/', '/examples/', '/cdk8s.yaml', '/.ci-logs/', 'build/package', '/build/runtime/', '/docs/');

// eslint also covers the example apps users copy from and our scripts.
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('bench');
project.eslint?.allowDevDeps('scripts/**');
project.eslint?.allowDevDeps('bench/**');
// The runtime and sparkctl are bundled with their npm packages: those are not the library's dependencies.
project.eslint?.allowDevDeps('src/runtime/**');
project.eslint?.allowDevDeps('src/cli/**');
project.eslint?.allowDevDeps('src/kube/**');
project.eslint?.allowDevDeps('src/manifests/**');

// The library's own version, written into src/version.generated.ts before every compile, so the
// default operator image tag always equals the package version (never hand-edited).
project.preCompileTask.exec('ts-node --project projenrc/tsconfig.json projenrc/version-file.ts');

// `cdk8s synth` runs the example app (cdk8s.yaml) and writes dist/*.k8s.yaml.
project.addTask('synth', {
  description: 'Synthesize the example app (examples/main.ts) into dist/',
  // The CLI's update check fails with a stack trace where its release feed cannot be reached.
  exec: 'cdk8s synth --no-check-upgrade',
});

// End-to-end tests run against a real control plane built from pinned Go modules (test/e2e/README.md).
const e2e = project.addTask('test:e2e', {
  description: 'Build (or reuse) the Kubernetes control plane and run the end-to-end tests against it',
});
e2e.exec('bash test/e2e/controlplane/build.sh');
// The real node (test/e2e/README.md, "The real node"): Debian's containerd, runc, CNI plugins and
// iptables (installed when missing, which needs root), kubelet and kube-proxy from the same Kubernetes
// modules, and CoreDNS from its own.
e2e.exec('bash test/e2e/node/install.sh');
e2e.exec('bash test/e2e/node/build.sh');
e2e.exec('bash test/e2e/node/build.sh coredns');
// The operator image's Node.js (the Dockerfile's version) from the npm registry, for the image tests.
e2e.exec('bash test/e2e/node/image-node.sh >/dev/null');
// The batch schedulers (test/e2e/README.md, "Batch schedulers"): scheduler-plugins with Coscheduling,
// and Kueue, each from its own Go module, with the CRDs of the same module.
e2e.exec('bash test/e2e/schedulers/build.sh scheduler-plugins >/dev/null');
e2e.exec('bash test/e2e/schedulers/build.sh kueue >/dev/null');
// The real spark-submit of each pinned Spark version, for the parity drift test (test/parity/README.md).
e2e.exec('bash test/parity/install.sh');
// The Spark Connect client (PyPI's pyspark[connect], pinned) for the SparkConnect test on the real node.
e2e.exec('bash test/e2e/connect-client/install.sh >/dev/null');
// The PodGroup CRDs of Volcano and scheduler-plugins from their Go modules (test/e2e/README.md).
e2e.exec('bash test/e2e/batch-crds/build.sh >/dev/null');
e2e.exec('jest --config test/e2e/jest.config.js --runInBand');

// The parity harness: regenerate the golden files of what the real spark-submit creates.
project.addTask('parity:capture', {
  description: 'Submit every test/parity/corpus application with the real spark-submit and rewrite test/parity/golden/',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/parity/capture-main.ts',
  receiveArgs: true,
});
// The runtime (controller, webhook, render) as one file for `node`, with no node_modules: what the
// image copies, and what the end-to-end tests run.
const bundle = project.addTask('bundle', {
  description: 'Bundle src/runtime into build/runtime/cdk8s-spark-operator.js',
  exec: 'esbuild src/runtime/main.ts --bundle --platform=node --target=node20 --format=cjs --minify --legal-comments=none --log-level=warning --outfile=build/runtime/cdk8s-spark-operator.js',
});

// sparkctl (src/cli) as one file with its npm packages inside, so that it starts fast and the package
// needs no runtime dependency for it; the package's `bin` points at it. Every compile builds it (the
// compile task itself, which `npm test` and the README's install steps run, not post-compile, which
// only `build` runs), so the npm tarball that jsii-pacmak packs from the compiled tree holds it.
const SPARKCTL_BUNDLE = 'bin/sparkctl.js';
const cliBundle = project.addTask('bundle:cli', {
  description: `Bundle src/cli (sparkctl) into ${SPARKCTL_BUNDLE}`,
  exec: `esbuild src/cli/main.ts --bundle --platform=node --target=node20 --format=cjs --minify --legal-comments=none --log-level=warning "--banner:js=#!/usr/bin/env node" --outfile=${SPARKCTL_BUNDLE}`,
});
project.addBins({ sparkctl: SPARKCTL_BUNDLE });
project.gitignore.exclude('/bin/');
project.compileTask.spawn(cliBundle);

// A cluster for people (README "Try it locally", test/e2e/README.md "npm run cluster"): the e2e control
// plane and, where the machine allows it, the real node with the images built here; runs until Ctrl-C,
// then removes everything it made.
const localCluster = project.addTask('cluster', {
  description: 'Start a local Kubernetes cluster (the e2e control plane and a real node) with the operator and Spark images loaded; Ctrl-C removes it',
});
localCluster.exec('bash test/e2e/controlplane/build.sh >/dev/null');
localCluster.spawn(bundle);
localCluster.exec('ts-node --transpile-only --project test/e2e/tsconfig.json test/e2e/local-cluster.ts');

// `npm run bench` (bench/, README "Benchmark"): ours against the upstream operator and the API server's
// ceiling on the e2e control plane, in one run. Not part of `npm test`: it takes about 20 minutes.
// It runs the same runtime bundle as the e2e suite, and the ceiling client as a bundle of its own.
const bench = project.addTask('bench', {
  description: 'Benchmark our controller against the upstream operator and a plain client on the e2e control plane (bench/)',
});
bench.spawn(bundle);
bench.exec('bash test/e2e/controlplane/build.sh >/dev/null');
bench.exec('esbuild bench/ceiling/main.ts --bundle --platform=node --target=node20 --format=cjs --log-level=warning --outfile=build/bench/ceiling.js');
bench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/main.ts', { receiveArgs: true });
// `--quick` runs are for development; bench/results/latest.* (a full run) is what is committed.
project.gitignore.exclude('/bench/results/quick*');

// The runtime's size and start-up time, as the image runs it (not part of `npm test`).
const startupBench = project.addTask('bench:startup', {
  description: 'Bundle the runtime, then measure its size and its time from exec to ready and to leading on the e2e control plane',
  receiveArgs: true,
});
startupBench.spawn(bundle);
startupBench.exec('bash test/e2e/controlplane/build.sh >/dev/null');
startupBench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/startup/main.ts', { receiveArgs: true });

// sparkctl's start-up (bench/sparkctl/): `--help`, `lint` and `list` up to its first request, against a
// bare `node -e 0` and kubectl's `--help`, in one run of about a minute (not part of `npm test`).
const sparkctlBench = project.addTask('bench:sparkctl', {
  description: 'Bundle sparkctl, then time its --help, lint and list start-up against node -e 0 and kubectl --help',
  receiveArgs: true,
});
sparkctlBench.spawn(cliBundle);
sparkctlBench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/sparkctl/main.ts', { receiveArgs: true });

// The admission webhook's latency through the real API server, with and without it, and its
// SubjectAccessReview cache (bench/webhook/; not part of `npm test`: it takes about four minutes).
const webhookBench = project.addTask('bench:webhook', {
  description: 'Bundle the runtime, then measure the admission webhook\'s added latency at 10/s and 100/s and its authorization cache on the e2e control plane',
  receiveArgs: true,
});
webhookBench.spawn(bundle);
webhookBench.exec('bash test/e2e/controlplane/build.sh >/dev/null');
webhookBench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/webhook/main.ts', { receiveArgs: true });

// Synthesis time and memory of our constructs against the classes `cdk8s import` generates (bench/synth/main.ts).
const clusterIpBench = project.addTask('bench:clusterip', {
  description: 'Measure how fast the e2e control plane creates Services with a ClusterIP against headless ones (10 and 40 in flight)',
  receiveArgs: true,
});
clusterIpBench.exec('bash test/e2e/controlplane/build.sh >/dev/null');
clusterIpBench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/clusterip/main.ts', { receiveArgs: true });

const synthBench = project.addTask('bench:synth', {
  description: 'Compile the library, then time cdk8s synth of 1,000 and 10,000 SparkApplications against the cdk8s import classes of our CRD',
  receiveArgs: true,
});
synthBench.spawn(project.compileTask);
synthBench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/synth/main.ts', { receiveArgs: true });

// What the controller holds for applications at the API server's size limit (bench/memory/main.ts).
const memoryBench = project.addTask('bench:memory', {
  description: 'Bundle the runtime, then measure the controller\'s memory at a fresh start with 500 SparkApplications of about 1.3 MB each on the e2e control plane',
  receiveArgs: true,
});
memoryBench.spawn(bundle);
memoryBench.exec('bash test/e2e/controlplane/build.sh >/dev/null');
memoryBench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/memory/main.ts', { receiveArgs: true });

// Packaging tests (test/dist/): jsii-pacmak packs the npm tarball and builds the Python, Java and Go
// bindings, then each is installed the way its users install it and runs a README or SparkPi example;
// and kube-score, a policy scanner, reports only the findings the README explains.
const dist = project.addTask('test:dist', {
  description: 'Package the library for npm, Python, Java and Go, test each package as its users install it, and scan the operator install',
});
dist.exec('ts-node --project test/dist/tsconfig.json test/dist/build-packages.ts');
dist.exec('jest --config test/dist/jest.config.js --runInBand');
// `npm test` is the one test command: jsii compile (the public API must stay jsii-compatible),
// type checks of tests and examples, unit and synth tests, eslint, the packaging tests, then the
// end-to-end suite.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the runtime, tests and examples (jsii leaves out src/runtime; ts-jest and ts-node compile without all checks)',
});
typecheck.exec('tsc -p test/tsconfig.typecheck.json');
// src/runtime is outside the jsii compilation: its own project type-checks it.
typecheck.exec('tsc -p src/runtime/tsconfig.json');
// So are src/cli (sparkctl), src/kube (the client both use) and src/manifests (the manifest reader both use).
typecheck.exec('tsc -p src/cli/tsconfig.json');
typecheck.exec('tsc -p src/kube/tsconfig.json');
typecheck.exec('tsc -p src/manifests/tsconfig.json');
typecheck.exec('tsc -p test/e2e/tsconfig.json --noEmit');
typecheck.exec('tsc -p test/dist/tsconfig.json --noEmit');
typecheck.exec('tsc -p examples/tsconfig.json');
typecheck.exec('tsc -p bench/tsconfig.json');
project.testTask.prependSpawn(typecheck);

// `npm run --silent render -- -f app.yaml`: the objects the controller would create for the
// SparkApplications of a file (src/runtime/render). A plain npm script rather than a projen task,
// so that stdout and stderr carry only what render prints. Until the runtime is bundled, ts-node
// runs it (without type checks: npm test's typecheck covers src/runtime).
project.package.setScript('render', 'ts-node --transpile-only --project src/runtime/tsconfig.json src/runtime/render/main.ts');
project.testTask.prependSpawn(project.compileTask);
// The e2e suite runs the very bundle the image would hold.
e2e.prependSpawn(bundle);
// ... and the sparkctl the package ships.
e2e.prependSpawn(cliBundle);
project.testTask.spawn(dist);
project.testTask.spawn(e2e);

project.synth();
