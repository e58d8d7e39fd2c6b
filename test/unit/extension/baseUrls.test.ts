// Issue 12, finding 2: a workspace cannot send a hosted provider's key elsewhere.

import * as assert from 'node:assert/strict';
import { baseUrlProblem, hostedBaseUrl, KeyHostConsent, ownHost } from '../../../src/extension/baseUrls';
import { ProviderClients } from '../../../src/extension/clients';
import type { KeyStore } from '../../../src/extension/services';
import type { ProviderId } from '../../../src/core/types';
import { errorActions } from '../../../src/extension/errorWords';

describe('hosted base URLs (issue 12)', () => {
  it('come from user or machine settings only: a workspace or folder value is ignored, and said to be', () => {
    const inspected = { defaultValue: 'https://api.segmind.com/v1', workspaceValue: 'https://evil.example/v1', workspaceFolderValue: 'http://evil.example' };
    assert.deepEqual(hostedBaseUrl('segmind', inspected), { url: 'https://api.segmind.com/v1', ignored: 'http://evil.example' });
    assert.deepEqual(hostedBaseUrl('deepinfra', { ...inspected, globalValue: 'https://gateway.example/v1/openai/' }), {
      url: 'https://gateway.example/v1/openai',
      ignored: 'http://evil.example',
    });
    assert.deepEqual(hostedBaseUrl('deepinfra', { globalValue: '  ' }), { url: 'https://api.deepinfra.com/v1/openai' });
  });

  it('must be https:, except on the loopback', () => {
    assert.equal(baseUrlProblem('segmind', 'https://api.segmind.com/v1'), undefined);
    for (const loopback of ['http://127.0.0.1:8787/v1', 'http://localhost:8787/v1', 'http://[::1]:8787/v1']) assert.equal(baseUrlProblem('segmind', loopback), undefined, loopback);
    for (const bad of ['http://api.segmind.com/v1', 'ftp://example.com', 'file:///etc/passwd', 'not a url', 'http://127.0.0.1.evil.example/v1']) {
      const problem = baseUrlProblem('segmind', bad);
      assert.ok(problem, bad);
      assert.equal(problem.kind, 'unsupported');
      assert.match(problem.message, /visionChat\.segmind\.baseUrl/);
      assert.deepEqual(errorActions(problem), ['openSettings']);
    }
  });

  it("knows each hosted provider's own host", () => {
    assert.equal(ownHost('segmind'), 'api.segmind.com');
    assert.equal(ownHost('deepinfra'), 'api.deepinfra.com');
  });

  it('asks once before a key goes to another host, and remembers the answer per host', async () => {
    const stored = new Map<string, unknown>();
    const memento = { get: <T>(k: string) => stored.get(k) as T | undefined, update: async (k: string, v: unknown) => void stored.set(k, v) };
    const asked: string[] = [];
    let answer = true;
    const consent = new KeyHostConsent(memento, async (provider, host) => (asked.push(`${provider} ${host}`), answer));
    assert.equal(await consent.allowed('segmind', 'https://api.segmind.com/v1', true), true, 'its own host needs no question');
    assert.equal(await consent.allowed('segmind', 'http://127.0.0.1:8787/v1', false), true, 'nor this machine');
    assert.equal(await consent.allowed('segmind', 'https://gateway.example/v1', true), true);
    assert.equal(await consent.allowed('segmind', 'https://gateway.example/v2', true), true);
    assert.deepEqual(asked, ['segmind gateway.example'], 'asked once for that host');
    answer = false;
    assert.equal(await consent.allowed('deepinfra', 'https://other.example/v1/openai', true), false);
    assert.equal(await consent.allowed('deepinfra', 'https://other.example/v1/openai', true), false);
    assert.equal(asked.length, 2, 'a refusal is remembered too');
    assert.equal(await consent.allowed('segmind', 'https://third.example/v1', false), false, 'a background read never asks, and never sends');
    assert.equal(asked.length, 2);
    const again = new KeyHostConsent(memento, async () => assert.fail('a new window remembers the allowed host'));
    assert.equal(await again.allowed('segmind', 'https://gateway.example/v1', true), true);
  });

  it('no client carries a stored key to a refused or unconfirmed host, nor over plain http', async () => {
    let baseUrl = 'https://gateway.example/v1';
    const settings = { baseUrl: () => baseUrl, requestTimeoutMs: 5000, proxy: undefined, customModels: [], onDidChange: () => ({ dispose() {} }) };
    const keys = { get: async () => ({ key: 'sk-stored-key-1234567890', source: 'secretStorage' as const }) } as unknown as KeyStore;
    const asked: string[] = [];
    const consent = { allowed: async (p: ProviderId, url: string, interactive: boolean) => (asked.push(`${p} ${url} ${interactive}`), false) };
    const clients = new ProviderClients(settings as never, keys, consent);
    await assert.rejects(clients.clientFor('segmind'), /key was not sent to gateway\.example/);
    await assert.rejects(clients.clientFor('deepinfra', false), /key was not sent/);
    assert.deepEqual(asked, ['segmind https://gateway.example/v1 true', 'deepinfra https://gateway.example/v1 false']);
    baseUrl = 'http://api.segmind.com/v1';
    await assert.rejects(clients.clientFor('segmind'), /must start with https:\/\//);
    assert.equal(asked.length, 2, 'a plain-http URL is refused before any question');
    baseUrl = 'http://127.0.0.1:9/v1';
    await assert.rejects(clients.clientFor('segmind'), /key was not sent to 127\.0\.0\.1:9/);
  });
});
