// The e2e suite's order: jest's own (failed first, then the slowest), except that the files that
// read what the whole run did (the API server's audit log) come last.
const Sequencer = require('@jest/test-sequencer').default;

/** Files that check the whole run: they must run after every other file. */
const LAST = /rbac-used\.e2e\.test\.ts$/;

class LastFilesLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((t) => !LAST.test(t.path)), ...sorted.filter((t) => LAST.test(t.path))];
  }
}

module.exports = LastFilesLastSequencer;
