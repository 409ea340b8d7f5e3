import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** The YAML documents in `test/fixtures/<folder>`, as `[file#index, document]` pairs for `test.each`. */
export function loadFixtures(folder: string): Array<[string, any]> {
  const dir = path.join(__dirname, '..', 'fixtures', folder);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((file) =>
    parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((doc, i): [string, any] => [`${file}#${i}`, doc.toJS()]),
  );
}
