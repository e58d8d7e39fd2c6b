import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog';
import { MAX_LISTED_MODELS, displayNameOf, parseDeepInfraListing, parseOllamaShow, parseOpenAIListing } from '../../../src/core/modelListings';
import { deepinfraListing, ollamaShow } from '../../../src/simulator/listings';

function entry(id: unknown, metadata: unknown): unknown {
  return { id, object: 'model', metadata };
}
const priced = { context_length: 32768, max_tokens: 8192, pricing: { input_tokens: 0.1, output_tokens: 0.3 }, tags: ['tools'] };

describe('core/modelListings', () => {
  it('reads DeepInfra’s listing: chat models only, with context, output limit, prices and tags', () => {
    const models = parseDeepInfraListing(deepinfraListing());
    const ids = models.map((m) => m.id);
    assert.ok(models.length >= 40, `${models.length} chat models`);
    for (const notChat of ['BAAI/bge-large-en-v1.5', 'black-forest-labs/FLUX-1-schnell', 'openai/whisper-large-v3-turbo', 'hexgrad/Kokoro-82M']) {
      assert.ok(!ids.includes(notChat), notChat);
    }
    const scout = models.find((m) => m.id === 'meta-llama/Llama-4-Scout-17B-16E-Instruct');
    assert.deepEqual(scout, {
      id: 'meta-llama/Llama-4-Scout-17B-16E-Instruct',
      name: 'Llama 4 Scout 17B 16E Instruct',
      contextLength: 327680,
      maxOutputTokens: 16384,
      pricing: { inputPerMillion: 0.08, outputPerMillion: 0.3 },
      vision: true,
      tools: true,
      reasoning: undefined,
    });
    assert.equal(models.find((m) => m.id === 'deepseek-ai/DeepSeek-R1')?.reasoning, true);
  });

  it('skips entries with missing or odd fields instead of failing the listing', () => {
    const models = parseDeepInfraListing({
      data: [
        null,
        7,
        'text',
        entry(undefined, priced),
        entry(42, priced),
        entry('', priced),
        entry('has space/model', priced),
        entry('x'.repeat(500), priced),
        entry('no/metadata', null),
        entry('no/pricing', { context_length: 1000 }),
        entry('negative/price', { pricing: { input_tokens: -1, output_tokens: 1 } }),
        entry('string/price', { pricing: { input_tokens: '0.5', output_tokens: 'free' } }),
        entry('ok/strings', { context_length: '4096', max_tokens: 'lots', pricing: { input_tokens: '0.2', output_tokens: '0.4' }, tags: 'vision' }),
        entry('ok/huge', { context_length: 1e300, pricing: { input_tokens: 0, output_tokens: 0 }, tags: [1, null, 'vision'] }),
        entry('ok/huge', priced),
        entry('embed/typed', { ...priced, type: 'embeddings' }),
      ],
    });
    assert.deepEqual(
      models.map((m) => m.id),
      ['ok/strings', 'ok/huge'],
    );
    assert.equal(models[0].contextLength, 4096);
    assert.equal(models[0].maxOutputTokens, undefined);
    assert.equal(models[0].vision, undefined, 'tags that are not a list are ignored');
    assert.equal(models[1].contextLength, 100_000_000, 'clamped');
    assert.equal(models[1].vision, true);
    for (const bad of [undefined, null, 'x', 42, {}, { data: 'x' }, { data: {} }]) assert.deepEqual(parseDeepInfraListing(bad), []);
  });

  it('keeps at most MAX_LISTED_MODELS of a listing with tens of thousands of entries', () => {
    const data = Array.from({ length: 20_000 }, (_, i) => entry(`owner/model-${i}`, priced));
    const started = performance.now();
    const models = parseDeepInfraListing({ data });
    assert.equal(models.length, MAX_LISTED_MODELS);
    assert.equal(parseOpenAIListing({ data }).length, MAX_LISTED_MODELS);
    // Not a benchmark: a guard against a quadratic parse (20 000 entries must not take seconds).
    assert.ok(performance.now() - started < 2000);
  });

  it('reads an OpenAI-compatible listing: ids only, embedding models left out, duplicates once', () => {
    const models = parseOpenAIListing({ data: [{ id: 'qwen3:8b' }, { id: 'qwen3:8b' }, { id: 'nomic-embed-text:latest' }, { id: 3 }, {}, { id: 'gemma3:4b' }] });
    assert.deepEqual(models, [{ id: 'qwen3:8b' }, { id: 'gemma3:4b' }]);
  });

  it('reads Ollama’s details: the num_ctx it runs with over the trained length, vision, tools, thinking', () => {
    assert.deepEqual(parseOllamaShow(ollamaShow('llama3.2-vision:11b')), { contextLength: 16384, vision: true, tools: false, reasoning: false, chat: true });
    assert.deepEqual(parseOllamaShow(ollamaShow('qwen3:8b')), { contextLength: 40960, vision: false, tools: true, reasoning: true, chat: true });
    assert.equal(parseOllamaShow(ollamaShow('nomic-embed-text:latest')).chat, false);
    assert.deepEqual(parseOllamaShow({ capabilities: 'vision', parameters: 7, model_info: [] }), {
      contextLength: undefined,
      vision: undefined,
      tools: undefined,
      reasoning: undefined,
      chat: undefined,
    });
    assert.deepEqual(parseOllamaShow(null), {});
  });

  it('names listed models readably', () => {
    assert.equal(displayNameOf('meta-llama/Llama-3.3-70B-Instruct'), 'Llama 3.3 70B Instruct');
    assert.equal(displayNameOf('qwen3:8b'), 'qwen3:8b');
  });

  it('builds the catalog: built-in models first and pinned (with listed prices), listed ones after, settings win, retired marked', () => {
    const live = {
      deepinfra: parseDeepInfraListing(deepinfraListing()),
      openaiCompatible: [{ id: 'qwen3:8b', contextLength: 40960 }, { id: 'mine' }],
    };
    const catalog = buildCatalog([{ id: 'mine', name: 'My model', contextLength: 2048 }], live, new Set(['segmind:llava-v1.6']));
    const first = catalog.all.slice(0, 7);
    assert.ok(first.every((m) => m.source === 'builtin'));
    const seed = catalog.get('deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct');
    assert.deepEqual(seed?.pricing, { inputPerMillion: 0.049, outputPerMillion: 0.049 });
    assert.equal(seed?.maxImages, 1);
    const zephyr = catalog.get('deepinfra:simulated/Zephyr-Orbit-12B-Instruct');
    assert.equal(zephyr?.source, 'live');
    assert.equal(zephyr?.contextLength, 65536);
    assert.equal(catalog.get('openaiCompatible:mine')?.displayName, 'My model');
    assert.equal(catalog.get('openaiCompatible:mine')?.contextLength, 2048);
    assert.equal(catalog.get('openaiCompatible:qwen3:8b')?.contextLength, 40960);
    assert.equal(catalog.get('segmind:llava-v1.6')?.retired, true);
    assert.equal(new Set(catalog.all.map((m) => m.id)).size, catalog.all.length);
  });
});
