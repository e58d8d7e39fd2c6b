import assert from 'node:assert/strict';
import { BUILTIN_MODELS, buildCatalog, LLAMA_VISION_MAX_SIDE } from '../../../src/core/catalog';

describe('core/catalog', () => {
  it('lists the models of PROVIDERS.md, each with a unique provider:id', () => {
    const ids = BUILTIN_MODELS.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(
      ids.filter((id) => id.startsWith('segmind:')).sort(),
      ['segmind:llama-v3-8b-instruct', 'segmind:llama-v3p2-90b-vision-instruct', 'segmind:llava-v1.6'],
    );
    assert.ok(ids.includes('deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct'));
    assert.ok(ids.includes('deepinfra:llava-hf/llava-1.5-7b-hf'));
    // Segmind has no known Llama 3.2 11B slug.
    assert.ok(!ids.some((id) => id.startsWith('segmind:') && id.includes('11b')));
  });

  it('marks which models see images, how many and how large', () => {
    const catalog = buildCatalog();
    const vision = catalog.visionModels().map((m) => m.id);
    assert.ok(vision.includes('segmind:llama-v3p2-90b-vision-instruct'));
    assert.ok(!vision.includes('deepinfra:meta-llama/Meta-Llama-3-8B-Instruct'));
    for (const model of catalog.all) {
      assert.equal(model.maxImages > 0, model.vision, model.id);
      if (model.vision) assert.equal(model.maxImageSide, LLAMA_VISION_MAX_SIDE, model.id);
    }
    assert.equal(catalog.get('segmind:llava-v1.6')?.protocol, 'llava');
  });

  it('adds the OpenAI-compatible server models from settings, skipping entries it cannot use', () => {
    const catalog = buildCatalog([
      { id: ' llava:7b ', name: 'LLaVA (Ollama)', vision: true, contextLength: 4096 },
      { id: 'qwen2.5-coder:7b' },
      { id: 'qwen2.5-coder:7b', name: 'a duplicate' },
      { name: 'no id' },
      'not an object',
      null,
      { id: 'odd-numbers', maxImages: -3, contextLength: 'lots', maxOutputTokens: 0 },
    ]);
    const custom = catalog.byProvider('openaiCompatible');
    assert.deepEqual(custom.map((m) => m.id), ['openaiCompatible:llava:7b', 'openaiCompatible:qwen2.5-coder:7b', 'openaiCompatible:odd-numbers']);
    const llava = catalog.get('openaiCompatible:llava:7b')!;
    assert.equal(llava.displayName, 'LLaVA (Ollama)');
    assert.equal(llava.providerModelId, 'llava:7b');
    assert.equal(llava.vision, true);
    assert.equal(llava.maxImages, 1);
    assert.equal(llava.contextLength, 4096);
    const coder = catalog.get('openaiCompatible:qwen2.5-coder:7b')!;
    assert.equal(coder.displayName, 'qwen2.5-coder:7b');
    assert.equal(coder.vision, false);
    assert.equal(coder.maxImages, 0);
    const odd = catalog.get('openaiCompatible:odd-numbers')!;
    assert.equal(odd.contextLength, 8192);
    assert.equal(odd.maxOutputTokens, 4096);
    // The built-in models are all still there.
    assert.equal(catalog.all.length, BUILTIN_MODELS.length + 3);
  });
});
