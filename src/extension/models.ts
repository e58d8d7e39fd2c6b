// Choosing the model for a turn and describing the catalog to the view. No `vscode` here.

import type { Catalog } from '../core/catalog';
import { providerName } from '../core/providerTable';
import type { ModelInfo, ProviderId } from '../core/types';
import type { ModelOption } from '../protocol';

export const DEFAULT_MODEL_ID = 'deepinfra:meta-llama/Llama-3.2-11B-Vision-Instruct';

export function modelLabel(model: ModelInfo): string {
  return `${model.displayName} (${providerName(model.provider)})`;
}

/**
 * The model a setting names, or the default with a note saying why: a model id kept in settings can
 * outlive the model (a removed custom model, a typo, an id from an older version).
 */
export function resolveModel(catalog: Catalog, requestedId: string): { model: ModelInfo; note?: string } {
  const model = catalog.get(requestedId);
  if (model) return { model };
  const fallback = catalog.get(DEFAULT_MODEL_ID) ?? catalog.all[0];
  return {
    model: fallback,
    note: `The model “${requestedId}” is not available; using ${modelLabel(fallback)}. Pick another with Select Model.`,
  };
}

/**
 * The model that stands in when a turn needs eyes the chat's model lacks: the `visionChat.visionModel`
 * setting's model if it can see, else the first model that can; none when no model can.
 */
export function standInVisionModel(catalog: Catalog, visionModelId: string): ModelInfo | undefined {
  const configured = catalog.get(visionModelId);
  return configured?.vision ? configured : catalog.visionModels()[0];
}

export function modelOptions(catalog: Catalog, hasKey: (provider: ProviderId) => boolean): ModelOption[] {
  return catalog.all.map((m) => ({
    id: m.id,
    displayName: m.displayName,
    provider: m.provider,
    providerName: providerName(m.provider),
    vision: m.vision,
    maxImages: m.maxImages,
    maxImageSide: m.maxImageSide,
    hasKey: hasKey(m.provider),
    contextLength: m.contextLength,
    pricing: m.pricing,
    retired: m.retired,
    tools: m.tools !== undefined,
  }));
}

/** "$0.11 / $0.22 per M tokens": input, then output. */
export function priceText(pricing: NonNullable<ModelInfo['pricing']>): string {
  return `$${pricePart(pricing.inputPerMillion)} / $${pricePart(pricing.outputPerMillion)} per M tokens in / out`;
}

function pricePart(value: number): string {
  return value >= 1 ? value.toFixed(2) : value >= 0.01 ? String(Number(value.toFixed(3))) : String(Number(value.toPrecision(2)));
}

/** "128k", "8k", "1M" context. */
export function contextText(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_048_576).toFixed(1))}M`;
  return `${Math.round(tokens / 1024)}k`;
}

/** "Llama 3.2 11B Vision Instruct (DeepInfra), LLaVA 1.6 7B (Segmind)" for messages that send people to a vision model. */
export function visionModelList(catalog: Catalog): string {
  return catalog.visionModels().map(modelLabel).join(', ');
}
