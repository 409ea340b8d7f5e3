/**
 * `npm run --silent render -- -f app.yaml`: the same command as the bundle's `render`
 * sub-command (`command.ts`), run without a bundle. Sets the exit code and lets the process end by
 * itself, so piped output is never cut.
 */
import { runRender } from './command';

void runRender(process.argv.slice(2), process).then((code) => {
  process.exitCode = code;
});
