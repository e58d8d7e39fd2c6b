import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kindForStatus } from '../../../src/core/errors';
import { BALANCE_PROVIDER, PROVIDERS, PROVIDER_IDS, isProviderId, providerInfo, providerMention, providerSubject } from '../../../src/core/providerTable';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[] };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};

function settingDeclared(name: string): { default?: unknown } | undefined {
  const config = manifest.contributes.configuration;
  const sections = Array.isArray(config) ? config : [config];
  return sections.map((s) => s.properties[name]).find(Boolean);
}

describe('core/providerTable', () => {
  it('gives every provider a unique id, and each base URL setting is declared in package.json with the same default and restricted in untrusted workspaces', () => {
    assert.equal(new Set(PROVIDERS.map((p) => p.id)).size, PROVIDERS.length);
    for (const p of PROVIDER_IDS.map(providerInfo)) {
      const declared = settingDeclared(`visionChat.${p.baseUrl.setting}`);
      assert.ok(declared, `visionChat.${p.baseUrl.setting} is declared`);
      assert.equal(declared.default, p.baseUrl.default, p.id);
      assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`visionChat.${p.baseUrl.setting}`), p.id);
      assert.doesNotThrow(() => new URL(p.baseUrl.default));
      if (p.key.page) assert.match(p.key.page, /^https:\/\//);
      if (p.billing) assert.match(p.billing.url, /^https:\/\//);
    }
  });

  it('accepts only known provider ids from outside input', () => {
    for (const p of PROVIDERS) assert.ok(isProviderId(p.id));
    for (const bad of ['', 'Segmind', 'constructor', '__proto__', undefined, 1, {}]) assert.equal(isProviderId(bad), false, String(bad));
  });

  it('applies each provider’s status quirks and the shared meaning otherwise', () => {
    assert.equal(kindForStatus('segmind', 406), 'outOfCredits');
    assert.equal(kindForStatus('deepinfra', 406), 'validation');
    assert.equal(kindForStatus('openaiCompatible', 406), 'validation');
    for (const p of PROVIDERS) assert.equal(kindForStatus(p.id, 402), 'outOfCredits');
  });

  it('names a provider at the start and inside a sentence', () => {
    assert.equal(providerSubject('openaiCompatible'), 'The OpenAI-compatible server');
    assert.equal(providerMention('openaiCompatible'), 'the OpenAI-compatible server');
    assert.equal(providerSubject('deepinfra'), 'DeepInfra');
    assert.equal(BALANCE_PROVIDER, 'segmind');
  });
});
