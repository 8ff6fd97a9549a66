// Test reporter: prints each finished test (failures with their error) and ends with the
// one line CI and humans look for: "N passed, N failed".
import { inspect } from 'node:util';

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') {
      if (event.data.skip || event.data.todo) skipped++;
      else passed++;
      yield `ok    ${event.data.name} (${Math.round(event.data.details.duration_ms)} ms)\n`;
    } else if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      failed++;
      const err = event.data.details?.error;
      const cause = err?.cause ?? err;
      yield `FAIL  ${event.data.name} (${event.data.file ?? ''})\n${indent(inspect(cause, { depth: 4 }))}\n`;
    } else if (event.type === 'test:fail' && event.data.details?.type === 'suite') {
      const err = event.data.details?.error;
      if (err && err.failureType !== 'subtestsFailed') {
        failed++;
        yield `FAIL  suite ${event.data.name}: ${indent(inspect(err.cause ?? err, { depth: 3 }))}\n`;
      }
    } else if (event.type === 'test:diagnostic' && /^(tests|pass|fail) /.test(event.data.message) === false) {
      // diagnostics such as file-level load errors
      if (event.data.nesting === 0 && /error|Error/.test(event.data.message)) yield `diag  ${event.data.message}\n`;
    }
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}

function indent(text) {
  return String(text).split('\n').map((l) => '      ' + l).join('\n');
}
