// Which model answers when a turn needs to see an image and the chat's model cannot.

import * as assert from 'node:assert/strict';
import { buildCatalog, Catalog } from '../../../src/core/catalog';
import { standInVisionModel } from '../../../src/extension/models';
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
