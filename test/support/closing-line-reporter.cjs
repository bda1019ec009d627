'use strict';
// CI reads the run's result only from a plain closing line ("N passed, N failed, N skipped"),
// so this reporter keeps mocha's spec output and appends that line from mocha's own counts.
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class ClosingLineReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = ClosingLineReporter;
