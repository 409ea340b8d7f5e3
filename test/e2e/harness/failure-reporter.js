// Jest reporter of the e2e suite: when any test failed, say where the control-plane logs are and
// leave a FAILED marker (see failure-marker.ts) so that the global teardown keeps them.
// Plain JavaScript: jest loads reporters without transforming them.
const fs = require('node:fs');
const path = require('node:path');

class FailureReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.CDK8S_SPARK_E2E_CLUSTER;
    if (results.numFailedTestSuites === 0 || !file || !fs.existsSync(file)) {
      return;
    }
    const { runDir } = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(path.join(runDir, 'FAILED'), `${new Date().toISOString()}\n`);
    process.stderr.write(`\n[e2e] ${results.numFailedTests} failed test(s) in ${results.numFailedTestSuites} file(s): ` +
      `control-plane logs (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) are kept in ${runDir}\n`);
  }
}

module.exports = FailureReporter;
