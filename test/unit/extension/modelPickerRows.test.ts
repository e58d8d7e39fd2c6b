import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog';
import { PROVIDER_IDS, providerName } from '../../../src/core/providerTable';
import type { ProviderId } from '../../../src/core/types';
import { modelPickerRows, type ModelPickerRow } from '../../../src/extension/modelPickerRows';

const allKeys = new Map<ProviderId, boolean>(PROVIDER_IDS.map((p) => [p, true]));
const modelRows = (rows: ModelPickerRow[]) => rows.filter((r): r is Extract<ModelPickerRow, { kind: 'model' }> => r.kind === 'model');

describe('Select Model rows', () => {
  const catalog = buildCatalog([{ id: 'llava:13b', vision: true }]);

  it('names the provider in every model row, not only in its group’s separator', () => {
    // VS Code shows a separator's label beside the first row of its group only; a screen reader
    // reads each row's label and description, never the separator.
    const rows = modelRows(modelPickerRows(catalog, 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct', allKeys));
    assert.ok(rows.length >= 5);
    for (const row of rows) {
      assert.ok(row.description.startsWith(providerName(row.model.provider)), `${row.label} (${row.model.id}): "${row.description}"`);
    }
  });

  it('tells apart the same model served by two providers by what each row reads out', () => {
    const rows = modelRows(modelPickerRows(catalog, 'segmind:llama-v3-8b-instruct', new Map([['segmind', false]])));
    const spoken = (row: (typeof rows)[number]) => `${row.label}, ${row.description}`.replace(/\$\([\w-]+\)\s*/g, '');
    const byName = new Map<string, string[]>();
    for (const row of rows) byName.set(row.model.displayName, [...(byName.get(row.model.displayName) ?? []), spoken(row)]);
    const shared = [...byName.values()].filter((said) => said.length > 1);
    assert.ok(shared.length > 0, 'the catalog has a model two providers serve');
    for (const said of shared) assert.equal(new Set(said).size, said.length, said.join(' | '));
    const segmind90b = rows.find((r) => r.model.provider === 'segmind' && /90B/.test(r.model.displayName))!;
    assert.equal(spoken(segmind90b), 'Llama 3.2 90B Vision Instruct, Segmind · sees images · needs a key');
  });
});
