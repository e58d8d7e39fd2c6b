// API keys: SecretStorage per provider, the environment as a fallback, never an empty key.

import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ProviderId } from '../../../src/core/types';
import { describeKeySource, SecretKeyStore, SIMULATOR_KEY_VARIABLE } from '../../../src/extension/keys';

/** An in-memory SecretStorage with VS Code's change event shape. */
class MemorySecrets {
  readonly values = new Map<string, string>();
  private readonly events = new EventEmitter();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
    this.events.emit('change', { key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.events.emit('change', { key });
  }
  onDidChange = (listener: (e: { key: string }) => void) => {
    this.events.on('change', listener);
    return { dispose: () => this.events.off('change', listener) };
  };
}

describe('API keys', () => {
  it('stores a trimmed key per provider under its own name', async () => {
    const secrets = new MemorySecrets();
    const keys = new SecretKeyStore(secrets, {});
    await keys.set('segmind', '  sg-key-123 \n');
    assert.deepEqual([...secrets.values], [['visionChat.key.segmind', 'sg-key-123']]);
    assert.deepEqual(await keys.get('segmind'), { key: 'sg-key-123', source: 'secretStorage' });
    assert.deepEqual(await keys.get('deepinfra'), { source: 'none' });
  });

  it('refuses an empty key', async () => {
    const keys = new SecretKeyStore(new MemorySecrets(), {});
    await assert.rejects(keys.set('deepinfra', '   '), /cannot be empty/);
  });

  it('falls back to SEGMIND_API_KEY / DEEPINFRA_TOKEN and says so', async () => {
    const secrets = new MemorySecrets();
    const keys = new SecretKeyStore(secrets, { SEGMIND_API_KEY: 'env-sg', DEEPINFRA_TOKEN: ' env-di ', OPENAI_API_KEY: 'not-used' });
    assert.deepEqual(await keys.get('segmind'), { key: 'env-sg', source: 'environment' });
    assert.deepEqual(await keys.get('deepinfra'), { key: 'env-di', source: 'environment' });
    assert.deepEqual(await keys.get('openaiCompatible'), { source: 'none' }, 'the OpenAI-compatible key only comes from SecretStorage');
    assert.equal(describeKeySource('environment', 'segmind'), 'key from $SEGMIND_API_KEY');
    await keys.set('segmind', 'stored');
    assert.deepEqual(await keys.get('segmind'), { key: 'stored', source: 'secretStorage' }, 'a stored key wins');
  });

  it('uses the simulator key npm start hands over only for a server on this machine, after any key of the user', async () => {
    const secrets = new MemorySecrets();
    const urls: Record<ProviderId, string> = {
      segmind: 'https://api.segmind.com/v1',
      deepinfra: 'http://127.0.0.1:8787/deepinfra/v1/openai',
      openaiCompatible: 'http://localhost:8787/v1',
    };
    const keys = new SecretKeyStore(secrets, { [SIMULATOR_KEY_VARIABLE]: 'sim-valid-key' }, (p) => urls[p]);
    assert.deepEqual(await keys.get('deepinfra'), { key: 'sim-valid-key', source: 'simulator' });
    assert.deepEqual(await keys.get('openaiCompatible'), { key: 'sim-valid-key', source: 'simulator' });
    assert.deepEqual(await keys.get('segmind'), { source: 'none' }, 'never sent to a real provider');
    assert.equal(describeKeySource('simulator', 'deepinfra'), 'the simulator’s key (npm start)');
    assert.deepEqual([...secrets.values], [], 'nothing stored');

    await keys.set('deepinfra', 'my-own-key');
    assert.deepEqual(await keys.get('deepinfra'), { key: 'my-own-key', source: 'secretStorage' }, 'a key the user stored wins');
    const withEnv = new SecretKeyStore(new MemorySecrets(), { [SIMULATOR_KEY_VARIABLE]: 'sim-valid-key', DEEPINFRA_TOKEN: 'env-di' }, (p) => urls[p]);
    assert.deepEqual(await withEnv.get('deepinfra'), { key: 'env-di', source: 'environment' }, 'so does one from the environment');
    const notStartedByNpmStart = new SecretKeyStore(new MemorySecrets(), {}, (p) => urls[p]);
    assert.deepEqual(await notStartedByNpmStart.get('deepinfra'), { source: 'none' });
  });

  it('reports which provider\'s key changed, and only ours', async () => {
    const secrets = new MemorySecrets();
    const keys = new SecretKeyStore(secrets, {});
    const changed: ProviderId[] = [];
    const subscription = keys.onDidChange((p) => changed.push(p));
    await keys.set('deepinfra', 'k');
    await secrets.store('someOtherExtension.token', 'x');
    await keys.delete('deepinfra');
    subscription.dispose();
    await keys.set('segmind', 'k');
    assert.deepEqual(changed, ['deepinfra', 'deepinfra']);
  });
});
