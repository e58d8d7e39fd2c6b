// The catalog's change event drives VS Code: the LM provider fires its own change event on it, VS
// Code then asks for the models again, and that ask refreshes the catalogs. A refresh that changes
// nothing must therefore stay silent, or the extension host spins (the chat view never appeared).

import assert from 'node:assert/strict';
import type { ProviderId } from '../../../src/core/types';
import { ProviderClients } from '../../../src/extension/clients';
import type { KeyStore } from '../../../src/extension/services';
import { useSimulator } from './harness';

describe('extension/clients: catalog refreshes', () => {
  const sim = useSimulator();

  function clients(): ProviderClients {
    const baseUrl = (p: ProviderId) => (p === 'deepinfra' ? sim.deepinfraBaseUrl : p === 'segmind' ? sim.segmindBaseUrl : sim.openaiBaseUrl);
    const settings = { baseUrl, requestTimeoutMs: 5000, proxy: undefined, customModels: [], onDidChange: () => ({ dispose() {} }) };
    const keys = { get: async () => ({ key: sim.validKey, source: 'secretStorage' as const }) } as unknown as KeyStore;
    return new ProviderClients(settings as never, keys, { allowed: async () => true });
  }

  const listingReads = () => sim.requests.filter((r) => r.method === 'GET' && /\/models$/.test(r.path)).length;

  it('VS Code asking again on every change settles: a refresh that changed nothing fires nothing', async () => {
    const c = clients();
    let changes = 0;
    const asks: Promise<void>[] = [];
    // What the LM provider and VS Code do together: every change event brings a new ask, and every
    // ask refreshes the catalogs. Capped, so a loop fails the test instead of hanging it.
    c.onDidChangeCatalog(() => {
      changes++;
      if (changes < 50) asks.push(c.refreshCatalogs());
    });
    asks.push(c.refreshCatalogs());
    for (let i = 0; i < asks.length; i++) await asks[i];

    assert.ok(changes >= 1, 'the first reading of the listings is a change');
    assert.ok(changes <= 2, `the listings were read once each, yet the catalog changed ${changes} times`);
    assert.equal(listingReads(), 2, 'DeepInfra’s and the OpenAI-compatible server’s listing, once each');
    assert.ok(c.catalog().get('deepinfra:simulated/Zephyr-Orbit-12B-Instruct'), 'the listed model is in the catalog');

    const before = changes;
    await c.refreshCatalogs();
    await c.refreshCatalogs();
    assert.equal(changes, before, 'fresh listings: asking again changes nothing and says nothing');
  });

  it('a listing that cannot be read says so once, and asking again right away neither fetches nor fires', async () => {
    sim.configure({ listingsDown: true });
    const c = clients();
    let changes = 0;
    c.onDidChangeCatalog(() => changes++);
    await c.refreshCatalogs();
    assert.ok(changes >= 1, 'the fallback note is a change');
    assert.match(c.listingStates().get('deepinfra')?.note ?? '', /Could not reach DeepInfra’s model list/);
    const reads = listingReads();
    const before = changes;
    for (let i = 0; i < 5; i++) await c.refreshCatalogs();
    assert.equal(changes, before);
    assert.equal(listingReads(), reads, 'a dead server is not asked again at once');
  });
});

describe('extension/clients: a Segmind model that answers 404 is retired', () => {
  const sim = useSimulator();

  it('says so at once on the next prompt, without a request, and an answer brings it back', async () => {
    const { collect } = await import('../../../src/core/providers');
    const { errorText } = await import('../../../src/extension/errorWords');
    const baseUrl = (p: ProviderId) => (p === 'deepinfra' ? sim.deepinfraBaseUrl : p === 'segmind' ? sim.segmindBaseUrl : sim.openaiBaseUrl);
    const settings = { baseUrl, requestTimeoutMs: 5000, proxy: undefined, customModels: [], onDidChange: () => ({ dispose() {} }) };
    const keys = { get: async () => ({ key: sim.validKey, source: 'secretStorage' as const }) } as unknown as KeyStore;
    const c = new ProviderClients(settings as never, keys, { allowed: async () => true });
    const id = 'segmind:llama-v3-8b-instruct';
    const ask = async () => collect((await c.providerFor(c.catalog().get(id)!)).stream({ model: c.catalog().get(id)!, messages: [{ role: 'user', content: 'hi' }] }));

    sim.queueScenario('status-404');
    await assert.rejects(ask(), /HTTP 404/);
    assert.equal(c.catalog().get(id)?.retired, true);
    const requests = sim.requests.length;
    await assert.rejects(ask(), (e: unknown) => {
      assert.equal(errorText(e as never), 'Segmind no longer serves “Llama 3 8B Instruct” (it answered 404/410 before). Pick another with Vision Chat: Select Model….');
      return true;
    });
    assert.equal(sim.requests.length, requests, 'no request for a model known to be gone');
  });
});
