// Which model answers when a turn needs to see an image and the chat's model cannot.

import * as assert from 'node:assert/strict';
import { buildCatalog, Catalog } from '../../../src/core/catalog';
import { contextText, modelOptions, priceText, standInVisionModel } from '../../../src/extension/models';
import { TEXT_MODEL, VISION_MODEL } from './harness';

describe('the stand-in vision model', () => {
  const catalog = buildCatalog();

  it('is the model the visionModel setting names', () => {
    const other = catalog.visionModels().find((m) => m.id !== VISION_MODEL)!;
    assert.equal(standInVisionModel(catalog, other.id)?.id, other.id);
  });

  it('is the first model that can see when the setting names one that cannot, or none at all', () => {
    const first = catalog.visionModels()[0].id;
    assert.equal(standInVisionModel(catalog, TEXT_MODEL)?.id, first);
    assert.equal(standInVisionModel(catalog, 'openai-compatible:removed-model')?.id, first);
  });

  it('is missing when no model can see', () => {
    assert.equal(standInVisionModel(new Catalog(catalog.all.filter((m) => !m.vision)), VISION_MODEL), undefined);
  });
});

describe('extension/models: prices and context as the pickers show them', () => {
  it('says a listed model’s price per million tokens in and out, and its context', () => {
    assert.equal(priceText({ inputPerMillion: 0.11, outputPerMillion: 0.22 }), '$0.11 / $0.22 per M tokens in / out');
    assert.equal(priceText({ inputPerMillion: 0.005, outputPerMillion: 2.4 }), '$0.005 / $2.40 per M tokens in / out');
    assert.equal(contextText(131072), '128k');
    assert.equal(contextText(1048576), '1M');
    const catalog = buildCatalog([], { deepinfra: [{ id: 'x/Listed-Only', pricing: { inputPerMillion: 0.1, outputPerMillion: 0.3 }, contextLength: 65536 }] });
    const listed = modelOptions(catalog, () => true).find((m) => m.id === 'deepinfra:x/Listed-Only');
    assert.deepEqual(listed?.pricing, { inputPerMillion: 0.1, outputPerMillion: 0.3 });
    assert.equal(listed?.contextLength, 65536);
    assert.equal(listed?.displayName, 'x/Listed-Only', 'no name in the listing: the id');
  });
});
