import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placeChange } from '../../../src/extension/apply/placeChange';
import { editAnswer, SIMULATOR_EDIT_COMMENT } from '../../../src/simulator/edits';

// Real files of this repository, as a user's workspace would hold them.
const source = (path: string) => readFileSync(join(__dirname, '../../..', path), 'utf8');

/** The lines from the one starting with `first` to the first after it equal to `last`. */
function excerpt(text: string, first: string, last: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(first));
  const end = lines.findIndex((l, i) => i > start && l === last);
  assert.ok(start >= 0 && end > start, `${first} … ${last} is in the file`);
  return lines.slice(start, end + 1).join('\n');
}

describe('placeChange: where a code block from an answer goes in a file', () => {
  const explain = source('src/extension/explain.ts');
  const fencedFn = excerpt(explain, 'export function fenced(', '}');

  it('places a changed function by its first and last lines, leaving the rest of the file byte for byte', () => {
    const changed = fencedFn.replace('Math.max(3, longestRun + 1)', 'Math.max(4, longestRun + 1)');
    const placed = placeChange(explain, changed);
    assert.equal(placed.kind, 'excerpt');
    if (placed.kind !== 'excerpt') return;
    assert.equal(placed.text, explain.replace('Math.max(3, longestRun + 1)', 'Math.max(4, longestRun + 1)'));
    const startLine = explain.split('\n').findIndex((l) => l.startsWith('export function fenced('));
    assert.deepEqual([placed.startLine, placed.endLine], [startLine, startLine + fencedFn.split('\n').length - 1]);
  });

  it('closes the block at the function’s own closing brace, not the first inner one', () => {
    const http = source('src/core/http.ts');
    const lines = http.split('\n');
    // A method whose body holds nested blocks: its first "  }" at the method's indentation closes it.
    const start = lines.findIndex((l) => /^ {2}(?:async )?\w+\(.*\{$/.test(l) && lines.slice(lines.indexOf(l) + 1).findIndex((m) => m === '  }') > 3);
    assert.ok(start >= 0, 'http.ts has a method with a body of several lines');
    const end = lines.findIndex((l, i) => i > start && l === '  }');
    const block = [lines[start], '    // reviewed', ...lines.slice(start + 1, end + 1)].join('\n');
    const placed = placeChange(http, block);
    assert.equal(placed.kind, 'excerpt');
    if (placed.kind === 'excerpt') assert.deepEqual([placed.startLine, placed.endLine], [start, end]);
  });

  it('re-indents an excerpt the model gave without its outer indentation', () => {
    const file = 'class A {\n  run() {\n    return 1;\n  }\n\n  stop() {\n    return 2;\n  }\n}\n';
    const placed = placeChange(file, 'stop() {\n  return 3;\n}');
    assert.equal(placed.kind, 'excerpt');
    if (placed.kind === 'excerpt') assert.equal(placed.text, 'class A {\n  run() {\n    return 1;\n  }\n\n  stop() {\n    return 3;\n  }\n}\n');
  });

  it('refuses a block whose first lines match several places, rather than guess', () => {
    const file = 'if (a) {\n  go();\n}\nif (a) {\n  go();\n}\n';
    assert.deepEqual(placeChange(file, 'if (a) {\n  go(1);\n}'), { kind: 'ambiguous', places: 2 });
  });

  it('refuses a block whose first or last line is not in the file', () => {
    assert.deepEqual(placeChange(explain, 'export function notInTheFile() {\n  return 1;\n}'), { kind: 'notFound' });
    const lastChanged = fencedFn.split('\n').slice(0, -1).join('\n') + '\n} // end';
    assert.deepEqual(placeChange(explain, lastChanged), { kind: 'notFound' });
  });

  it('takes a rewrite of the whole file as the whole file, even with a new first line', () => {
    const rewritten = `// A new header line\n${explain.replace('Math.max(3,', 'Math.max(5,')}`;
    const placed = placeChange(explain, rewritten);
    assert.equal(placed.kind, 'whole');
    if (placed.kind === 'whole') assert.equal(placed.text, rewritten);
    assert.deepEqual(placeChange('', 'hello\n'), { kind: 'whole', text: 'hello\n' });
  });

  it('keeps the file’s CRLF line endings and says when the block changes nothing', () => {
    const crlf = explain.replace(/\n/g, '\r\n');
    const placed = placeChange(crlf, fencedFn.replace('Math.max(3,', 'Math.max(6,'));
    assert.equal(placed.kind, 'excerpt');
    if (placed.kind === 'excerpt') assert.equal(placed.text, crlf.replace('Math.max(3,', 'Math.max(6,'));
    assert.deepEqual(placeChange(explain, fencedFn), { kind: 'unchanged' });
  });

  it('places the simulator’s change to an Explain Selection quote: the file gains exactly its comment line', () => {
    const quoted = `Explain this code from \`src/extension/explain.ts\` (lines 44–48, typescript).\n\n\`\`\`typescript\n${fencedFn}\n\`\`\``;
    const answer = editAnswer([quoted, 'Please fix it.']);
    assert.ok(answer, 'the simulator answers a request to change quoted code with a code block');
    assert.match(answer, /```typescript src\/extension\/explain\.ts\n/);
    const block = /```typescript src\/extension\/explain\.ts\n([\s\S]*?)\n```/.exec(answer)![1]!;
    const placed = placeChange(explain, block);
    assert.equal(placed.kind, 'excerpt');
    if (placed.kind !== 'excerpt') return;
    const added = placed.text.split('\n').filter((l) => !explain.split('\n').includes(l));
    assert.deepEqual(added, [`  // ${SIMULATOR_EDIT_COMMENT}`]);
    assert.equal(editAnswer([quoted]), undefined, 'an Explain Selection prompt alone is not a request to change');
    const quotesUpdate = quoted.replace('\n```typescript\n', '\n```typescript\nupdate(); // fix later\n');
    assert.equal(editAnswer([quotesUpdate]), undefined, 'a change word inside quoted code is not a request');
  });
});
