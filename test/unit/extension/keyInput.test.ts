// Issue 12, finding 5: a key with a line break or a NUL is refused when entered, not stored to fail later as "could not reach".

import * as assert from 'node:assert/strict';
import { keyProblem, SecretKeyStore } from '../../../src/extension/keys';

describe('entering an API key (issue 12)', () => {
  it('refuses a key with a line break, a NUL, a tab or a space inside, saying why', () => {
    for (const bad of ['sk-abc\ndef', 'sk-abc\r\ndef', 'sk-abc\u0000def', 'sk-abc\tdef', 'sk-abc def', 'sk-\u007fabc']) {
      assert.match(keyProblem(bad) ?? '', /cannot contain spaces, line breaks or control characters/, JSON.stringify(bad));
    }
    assert.equal(keyProblem('  sk-Zq8TQ4xv7LmN2pR5  '), undefined, 'spaces around it are trimmed');
    assert.match(keyProblem('   ') ?? '', /Paste a key/);
  });

  it('the store refuses such a key too, so Save Anyway cannot keep it', async () => {
    const stored = new Map<string, string>();
    const secrets = { get: async (k: string) => stored.get(k), store: async (k: string, v: string) => void stored.set(k, v), delete: async () => undefined, onDidChange: () => ({ dispose() {} }) };
    const keys = new SecretKeyStore(secrets as never, {});
    await assert.rejects(keys.set('segmind', 'sk-abc\u0000def'), /control characters/);
    assert.equal(stored.size, 0);
  });
});
