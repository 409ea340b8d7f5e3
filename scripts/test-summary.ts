// Prints one closing line for the whole test run, `tests: N passed, N failed, N skipped`, from the
// JUnit reports that jest-junit writes (unit suite and e2e suite). Run: npx ts-node scripts/test-summary.ts
import * as fs from 'fs';
import * as path from 'path';

const REPORTS = path.join(__dirname, '..', 'test-reports');

let passed = 0;
let failed = 0;
let skipped = 0;
const files = fs.existsSync(REPORTS) ? fs.readdirSync(REPORTS).filter((f) => f.endsWith('.xml')) : [];
for (const file of files) {
  const xml = fs.readFileSync(path.join(REPORTS, file), 'utf8');
  // One <testcase> per test; a failed one holds <failure>, a skipped one <skipped/>.
  const cases = xml.split('<testcase').slice(1);
  const caseFailed = cases.filter((c) => /<failure|<error/.test(c.split('</testcase>')[0])).length;
  const caseSkipped = cases.filter((c) => /<skipped/.test(c.split('</testcase>')[0])).length;
  failed += caseFailed;
  skipped += caseSkipped;
  passed += cases.length - caseFailed - caseSkipped;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(files.length === 0 || passed === 0 ? 1 : 0);
