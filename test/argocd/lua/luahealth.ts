/**
 * Runs Argo CD health scripts in gopher-lua, the Lua engine Argo CD embeds, through the small Go
 * program of this folder (`main.go`; built once per version of its sources and cached outside the
 * repository by `build.sh`, which needs Go and the Go module proxy or a warm module cache).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

/** What a health script answered for one object (or the Lua error it raised). */
export interface Health {
  readonly status?: string;
  readonly message?: string;
  readonly error?: string;
}

/** Builds (or finds in the cache) the program; returns its path. Slow the first time: call it in `beforeAll`. */
export function buildLuaHealth(): string {
  return execFileSync('bash', [path.join(__dirname, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** Runs `script` on each of `objects` with the program at `luahealth`, as Argo CD does. */
export function healthOf(luahealth: string, script: string, ...objects: object[]): Health[] {
  const input = JSON.stringify(objects.map((object) => ({ script, object })));
  return JSON.parse(execFileSync(luahealth, [], { input, encoding: 'utf8' }));
}
