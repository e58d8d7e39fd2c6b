// The prompt Explain Selection sends.

import * as assert from 'node:assert/strict';
import { buildExplainPrompt, MAX_SELECTION_CHARS } from '../../../src/extension/explain';

describe('Explain Selection prompt', () => {
  const base = {
    code: 'function add(a, b) {\n  return a + b;\n}',
    languageId: 'javascript',
    fileName: 'src/math.js',
    startLine: 10,
    endLine: 12,
    before: '// helpers\n',
    after: '\nmodule.exports = { add };',
  };

  it('names the file, lines and language and fences the code', () => {
    const { prompt, truncated } = buildExplainPrompt(base);
    assert.equal(truncated, false);
    assert.match(prompt, /^Explain this code from `src\/math\.js` \(lines 10–12, javascript\)\./);
    assert.match(prompt, /```javascript\nfunction add\(a, b\) \{\n  return a \+ b;\n\}\n```/);
  });

  it('marks the surrounding lines as context, not part of the selection', () => {
    const { prompt } = buildExplainPrompt(base);
    const [selection, context] = prompt.split('Surrounding lines, for context only (not part of the selection):');
    assert.ok(context, 'there is a context section');
    assert.ok(!selection.includes('module.exports'));
    assert.match(context, /\/\/ helpers\n\/\* … the selection … \*\/\nmodule\.exports = \{ add \};/);
  });

  it('leaves the context out when there is none', () => {
    const { prompt } = buildExplainPrompt({ ...base, before: '', after: '  \n' });
    assert.ok(!prompt.includes('Surrounding lines'));
  });

  it('uses a longer fence when the code holds backticks', () => {
    const { prompt } = buildExplainPrompt({ ...base, code: 'const md = "```ts";', languageId: 'typescript', startLine: 3, endLine: 3 });
    assert.match(prompt, /\(line 3, typescript\)/);
    assert.match(prompt, /````typescript\nconst md = "```ts";\n````/);
  });

  it('cuts a huge selection and says so', () => {
    const { prompt, truncated } = buildExplainPrompt({ ...base, code: 'x'.repeat(MAX_SELECTION_CHARS + 500) });
    assert.equal(truncated, true);
    assert.match(prompt, /cut to its first/);
    assert.ok(prompt.length < MAX_SELECTION_CHARS + 1000);
  });
});
