import assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/errors';
import { FRESH_FOR_MS, LiveCatalogs, type CatalogStore, type ListingFetcher } from '../../../src/core/liveCatalogs';
import type { ListedModel } from '../../../src/core/modelListings';
import { closeDispatchers, collect, createProvider } from '../../../src/core/providers';
import type { ProviderConfig, ProviderId } from '../../../src/core/types';
import { startSimulator, type Simulator } from '../../../src/simulator/server';

class MemoryStore implements CatalogStore {
  readonly files = new Map<string, string>();
  async read(name: string): Promise<string | undefined> {
    return this.files.get(name);
  }
  async write(name: string, text: string): Promise<void> {
    this.files.set(name, text);
  }
}

const FAST: Partial<ProviderConfig> = {
  retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2000 },
  timeouts: { firstByteMs: 2000, idleMs: 2000 },
};
const BASE = 'https://api.example.test/v1';

describe('core/liveCatalogs', () => {
  let clock: number;
  let fetched: number;
  let answer: readonly ListedModel[] | Error;
  let store: MemoryStore;
  const fetcher: ListingFetcher = async () => {
    fetched++;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const catalogs = (): LiveCatalogs => new LiveCatalogs(store, fetcher, () => clock);

  beforeEach(() => {
    clock = 1_000_000_000_000;
    fetched = 0;
    answer = [{ id: 'a/b' }];
    store = new MemoryStore();
  });

  it('fetches on first need, keeps the listing with its time, and does not fetch again while fresh', async () => {
    const live = catalogs();
    assert.deepEqual(live.state('deepinfra', BASE), { models: [], loading: false }, 'nothing before the first need');
    let changes = 0;
    live.onDidChange(() => changes++);
    await live.refresh('deepinfra', BASE);
    assert.deepEqual(live.state('deepinfra', BASE).models, [{ id: 'a/b' }]);
    assert.equal(live.state('deepinfra', BASE).fetchedAt, clock);
    assert.ok(changes >= 1);
    clock += FRESH_FOR_MS - 1;
    await live.refresh('deepinfra', BASE);
    assert.equal(fetched, 1);
    // A new session reads the stored listing and does not fetch while it is fresh.
    const next = catalogs();
    await next.refresh('deepinfra', BASE);
    assert.equal(fetched, 1);
    assert.deepEqual(next.state('deepinfra', BASE).models, [{ id: 'a/b' }]);
  });

  it('reads again once stale, and a listing stored for another base URL is not used', async () => {
    await catalogs().refresh('deepinfra', BASE);
    clock += FRESH_FOR_MS + 1;
    answer = [{ id: 'c/d' }];
    const live = catalogs();
    await live.refresh('deepinfra', BASE);
    assert.equal(fetched, 2);
    assert.deepEqual(live.state('deepinfra', BASE).models, [{ id: 'c/d' }]);
    answer = [{ id: 'other' }];
    await live.refresh('deepinfra', 'http://elsewhere.test/v1');
    assert.deepEqual(live.state('deepinfra', 'http://elsewhere.test/v1').models, [{ id: 'other' }]);
    assert.equal(fetched, 3);
  });

  it('falls back to the built-in list with a note when the provider cannot be reached, and keeps an older listing when it has one', async () => {
    answer = new ProviderError({ kind: 'network', provider: 'deepinfra', message: 'Could not reach DeepInfra (ECONNREFUSED).' });
    const live = catalogs();
    await live.refresh('deepinfra', BASE);
    const failed = live.state('deepinfra', BASE);
    assert.deepEqual(failed.models, []);
    assert.match(failed.note ?? '', /Could not reach DeepInfra’s model list; showing the built-in models\. Could not reach DeepInfra \(ECONNREFUSED\)/);
    // Opening the picker again right away does not hammer the dead server.
    await live.refresh('deepinfra', BASE);
    assert.equal(fetched, 1);

    answer = [{ id: 'a/b' }];
    await live.refresh('deepinfra', BASE, { force: true });
    assert.equal(live.state('deepinfra', BASE).note, undefined);
    clock += FRESH_FOR_MS + 1;
    answer = new Error('offline');
    await live.refresh('deepinfra', BASE);
    assert.deepEqual(live.state('deepinfra', BASE).models, [{ id: 'a/b' }]);
    assert.match(live.state('deepinfra', BASE).note ?? '', /Could not refresh DeepInfra’s model list; showing the one read/);
  });

  it('shares one fetch between callers and ignores a damaged store', async () => {
    store.files.set('models-deepinfra.json', '{not json');
    store.files.set('retired-models.json', '"nope"');
    const live = catalogs();
    await Promise.all([live.refresh('deepinfra', BASE), live.refresh('deepinfra', BASE), live.refresh('deepinfra', BASE)]);
    assert.equal(fetched, 1);
    await live.loadRetired();
    assert.equal(live.retiredModels().size, 0);
  });

  it('remembers retired models across sessions, and forgets one that answers again', async () => {
    const live = catalogs();
    await live.markRetired('segmind:llama-v3p1-405b-instruct');
    assert.ok(live.retiredModels().has('segmind:llama-v3p1-405b-instruct'));
    const next = catalogs();
    await next.loadRetired();
    assert.ok(next.retiredModels().has('segmind:llama-v3p1-405b-instruct'));
    await next.unretire('segmind:llama-v3p1-405b-instruct');
    assert.equal(next.retiredModels().size, 0);
  });
});

describe('listing models from the simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  beforeEach(() => sim.reset());
  after(async () => {
    await sim.close();
    await closeDispatchers();
  });
  const provider = (id: ProviderId) =>
    createProvider(id, { baseUrl: id === 'deepinfra' ? sim.deepinfraBaseUrl : id === 'segmind' ? sim.segmindBaseUrl : sim.openaiBaseUrl, apiKey: sim.validKey, ...FAST });

  it('reads DeepInfra’s priced listing, whose models answer', async () => {
    const models = await provider('deepinfra').listModels!();
    const zephyr = models.find((m) => m.id === 'simulated/Zephyr-Orbit-12B-Instruct');
    assert.deepEqual(zephyr?.pricing, { inputPerMillion: 0.11, outputPerMillion: 0.22 });
    assert.ok(!models.some((m) => m.id.startsWith('BAAI/')));
    const { buildCatalog } = await import('../../../src/core/catalog');
    const model = buildCatalog([], { deepinfra: models }).get('deepinfra:simulated/Zephyr-Orbit-12B-Instruct')!;
    const answer = await collect(provider('deepinfra').stream({ model, messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(answer.text.length > 0);
    assert.ok((answer.usage?.costUsd ?? 0) > 0);
  });

  it('reads Ollama’s listing and details: real context, vision, tools; embedding models left out', async () => {
    const models = await provider('openaiCompatible').listModels!();
    const byId = new Map(models.map((m) => [m.id, m]));
    assert.equal(byId.get('llama3.2-vision:11b')?.contextLength, 16384);
    assert.equal(byId.get('llama3.2-vision:11b')?.vision, true);
    assert.equal(byId.get('qwen3:8b')?.tools, true);
    assert.ok(!byId.has('nomic-embed-text:latest'));
  });

  it('fails with a ProviderError when the listing is down', async () => {
    sim.configure({ listingsDown: true });
    await assert.rejects(provider('deepinfra').listModels!(), (e: unknown) => e instanceof ProviderError && e.kind === 'server');
  });

  it('a retired Segmind slug answers 410, read as a model that is gone, with the next step', async () => {
    const { BUILTIN_MODELS } = await import('../../../src/core/catalog');
    const model = { ...BUILTIN_MODELS.find((m) => m.id === 'segmind:llama-v3-8b-instruct')!, id: 'segmind:llama-v3p1-405b-instruct', providerModelId: 'llama-v3p1-405b-instruct', displayName: 'Llama 3.1 405B' };
    await assert.rejects(collect(provider('segmind').stream({ model, messages: [{ role: 'user', content: 'hi' }] })), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.kind, 'unknownModel');
      assert.equal(e.status, 410);
      assert.match(e.message, /retired “Llama 3\.1 405B” \(HTTP 410\)\./);
      assert.equal(e.nextStep, 'pickOtherModel');
      return true;
    });
  });
});
