// The model picker in the view's header: a native <select> (keyboard and screen-reader friendly),
// grouped by provider, saying which models see images and which providers still need a key.

import type { CatalogNotes, ModelOption, WebviewMessage } from '../protocol';
import { clear, h, icon } from './dom';

export class ModelPicker {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly visionMark: HTMLElement;
  private models: readonly ModelOption[] = [];

  constructor(private readonly post: (message: WebviewMessage) => void) {
    this.select = h('select', { id: 'model-select', class: 'model-select', 'aria-label': 'Model' });
    this.visionMark = h('span', { class: 'vision-mark', title: 'This model sees images', hidden: true }, icon('eye'));
    this.element = h('div', { class: 'model-picker' }, icon('hubot', 'model-picker-icon'), this.select, this.visionMark);
    this.select.addEventListener('change', () => {
      this.refreshMark();
      this.post({ type: 'selectModel', modelId: this.select.value });
    });
  }

  setModels(models: readonly ModelOption[], modelId: string, notes: CatalogNotes = {}): void {
    this.models = models;
    clear(this.select);
    const groups = new Map<string, HTMLOptGroupElement>();
    const sharedNames = namesUsedTwice(models);
    for (const model of models) {
      let group = groups.get(model.provider);
      if (!group) {
        group = h('optgroup', { label: model.hasKey ? model.providerName : `${model.providerName} (no API key set)` });
        groups.set(model.provider, group);
        this.select.append(group);
        // The listing could not be read: say so where the user looks for its models.
        const note = notes[model.provider];
        if (note) group.append(h('option', { disabled: true, class: 'catalog-note', title: note }, `⚠ ${note}`));
      }
      group.append(h('option', { value: model.id, title: optionTitle(model) }, optionLabel(model, sharedNames.has(model.displayName))));
    }
    if (modelId && !models.some((m) => m.id === modelId)) {
      // A model from the settings that the catalog no longer lists: show it rather than lie.
      this.select.prepend(h('option', { value: modelId }, `${modelId} (not available)`));
    }
    this.select.value = modelId;
    this.refreshMark();
  }

  private refreshMark(): void {
    const model = this.models.find((m) => m.id === this.select.value);
    this.visionMark.hidden = !model?.vision;
    this.select.title = model ? optionTitle(model) : 'Model';
  }
}

/** Names several providers serve (Llama 3 8B on Segmind and DeepInfra): the closed picker shows only the option, not its group. */
function namesUsedTwice(models: readonly ModelOption[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { displayName } of models) (seen.has(displayName) ? twice : seen).add(displayName);
  return twice;
}

function optionLabel(model: ModelOption, nameIsShared: boolean): string {
  let label = nameIsShared ? `${model.displayName} · ${model.providerName}` : model.displayName;
  if (model.vision) label += ' · sees images';
  if (model.pricing) label += ` · $${money(model.pricing.inputPerMillion)}/$${money(model.pricing.outputPerMillion)} per M`;
  if (model.retired) label += ' · retired';
  if (!model.hasKey) label += ' · no key';
  return label;
}

function money(value: number): string {
  return value >= 1 ? value.toFixed(2) : String(Number(value.toPrecision(2)));
}

function optionTitle(model: ModelOption): string {
  const parts = [`${model.displayName} on ${model.providerName}`];
  parts.push(model.vision ? `sees images (up to ${model.maxImages} per message)` : 'text only');
  if (model.contextLength) parts.push(`${Math.round(model.contextLength / 1024)}k-token context`);
  if (model.pricing) parts.push(`$${money(model.pricing.inputPerMillion)} per million input tokens, $${money(model.pricing.outputPerMillion)} per million output tokens`);
  if (model.retired) parts.push('retired by the provider');
  if (!model.hasKey) parts.push(`no API key set for ${model.providerName}`);
  return parts.join(', ');
}
