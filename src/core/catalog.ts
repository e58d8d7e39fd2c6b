// The model catalog is data: the built-in models below plus whatever the user lists for their
// OpenAI-compatible server. Nothing elsewhere switches on a model id.

import type { ListedModel } from './modelListings';
import type { ModelInfo, ProviderId } from './types';

/** Llama 3.2 Vision fails on images larger than this on either side, so images are downscaled to fit. */
export const LLAMA_VISION_MAX_SIDE = 1120;

/** OpenAI's documented ceiling on `tools` per request, which DeepInfra's OpenAI API follows. */
export const OPENAI_MAX_TOOLS = 128;

function model(m: Omit<ModelInfo, 'id' | 'source'> & { source?: ModelInfo['source'] }): ModelInfo {
  return { id: `${m.provider}:${m.providerModelId}`, source: 'builtin', ...m };
}

export const BUILTIN_MODELS: readonly ModelInfo[] = [
  model({
    provider: 'deepinfra',
    providerModelId: 'meta-llama/Llama-3.2-11B-Vision-Instruct',
    displayName: 'Llama 3.2 11B Vision Instruct',
    protocol: 'chat',
    vision: true,
    maxImages: 1,
    maxImageSide: LLAMA_VISION_MAX_SIDE,
    contextLength: 131072,
    maxOutputTokens: 4096,
    // Llama 3.1+ is trained to call tools; DeepInfra takes OpenAI `tools` (with text, not with an image).
    tools: 'native',
    maxTools: OPENAI_MAX_TOOLS,
  }),
  model({
    provider: 'deepinfra',
    providerModelId: 'meta-llama/Llama-3.2-90B-Vision-Instruct',
    displayName: 'Llama 3.2 90B Vision Instruct',
    protocol: 'chat',
    vision: true,
    maxImages: 1,
    maxImageSide: LLAMA_VISION_MAX_SIDE,
    contextLength: 131072,
    maxOutputTokens: 4096,
    tools: 'native',
    maxTools: OPENAI_MAX_TOOLS,
  }),
  model({
    provider: 'deepinfra',
    providerModelId: 'meta-llama/Meta-Llama-3-8B-Instruct',
    displayName: 'Llama 3 8B Instruct',
    protocol: 'chat',
    vision: false,
    maxImages: 0,
    // Llama 3 (not 3.1+) was trained with an 8k window and without tool calling: no `tools`.
    contextLength: 8192,
    maxOutputTokens: 4096,
  }),
  model({
    provider: 'deepinfra',
    providerModelId: 'llava-hf/llava-1.5-7b-hf',
    displayName: 'LLaVA 1.5 7B',
    protocol: 'chat',
    vision: true,
    maxImages: 1,
    maxImageSide: LLAMA_VISION_MAX_SIDE,
    contextLength: 4096,
    maxOutputTokens: 2048,
  }),
  model({
    provider: 'segmind',
    providerModelId: 'llama-v3p2-90b-vision-instruct',
    displayName: 'Llama 3.2 90B Vision Instruct',
    protocol: 'chat',
    vision: true,
    maxImages: 1,
    maxImageSide: LLAMA_VISION_MAX_SIDE,
    contextLength: 131072,
    maxOutputTokens: 4096,
    // Segmind's endpoint has no `tools` field: Llama 3.1+'s JSON function-calling prompt instead.
    tools: 'prompted',
  }),
  model({
    provider: 'segmind',
    providerModelId: 'llama-v3-8b-instruct',
    displayName: 'Llama 3 8B Instruct',
    protocol: 'chat',
    vision: false,
    maxImages: 0,
    contextLength: 8192,
    maxOutputTokens: 4096,
  }),
  model({
    provider: 'segmind',
    providerModelId: 'llava-v1.6',
    displayName: 'LLaVA 1.6 7B',
    protocol: 'llava',
    vision: true,
    maxImages: 1,
    maxImageSide: LLAMA_VISION_MAX_SIDE,
    contextLength: 4096,
    maxOutputTokens: 2048,
  }),
];

/** One entry of the `visionChat.openaiCompatible.models` setting. */
export interface CustomModelSetting {
  readonly id: string;
  readonly name?: string;
  readonly vision?: boolean;
  readonly maxImages?: number;
  readonly contextLength?: number;
  readonly maxOutputTokens?: number;
  /** Whether the server takes OpenAI `tools` for this model (default true: Ollama, vLLM, llama.cpp and LM Studio do). */
  readonly tools?: boolean;
}

export class Catalog {
  readonly all: readonly ModelInfo[];
  private readonly byId: ReadonlyMap<string, ModelInfo>;

  constructor(models: readonly ModelInfo[]) {
    this.all = models;
    this.byId = new Map(models.map((m) => [m.id, m]));
  }

  get(id: string): ModelInfo | undefined {
    return this.byId.get(id);
  }

  byProvider(provider: ProviderId): readonly ModelInfo[] {
    return this.all.filter((m) => m.provider === provider);
  }

  visionModels(): readonly ModelInfo[] {
    return this.all.filter((m) => m.vision);
  }

  toolModels(): readonly ModelInfo[] {
    return this.all.filter((m) => m.tools !== undefined);
  }
}

/** Settings are user input: entries without a usable id are skipped, numbers are clamped to sane ranges. */
export function customModels(settings: readonly unknown[] | undefined): ModelInfo[] {
  const out: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const raw of settings ?? []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const s = raw as CustomModelSetting;
    const id = typeof s.id === 'string' ? s.id.trim() : '';
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const vision = s.vision === true;
    out.push(
      model({
        provider: 'openaiCompatible',
        providerModelId: id,
        displayName: typeof s.name === 'string' && s.name.trim() ? s.name.trim() : id,
        protocol: 'chat',
        vision,
        maxImages: vision ? positiveInt(s.maxImages, 1) : 0,
        maxImageSide: vision ? LLAMA_VISION_MAX_SIDE : undefined,
        contextLength: positiveInt(s.contextLength, 8192),
        maxOutputTokens: positiveInt(s.maxOutputTokens, 4096),
        ...(s.tools === false ? {} : { tools: 'native' as const }),
        source: 'settings',
      }),
    );
  }
  return out;
}

/** What the providers' own listings said, per provider (absent: not fetched, or no listing). */
export type LiveListings = Partial<Record<ProviderId, readonly ListedModel[]>>;

/**
 * The catalog: the built-in models first (the pinned defaults, with the listing's prices where it
 * has them), then what the listings add, then the models from settings, which win over a listed
 * model of the same id. Models in `retired` are kept but marked, so the UI can say so.
 */
export function buildCatalog(customSettings?: readonly unknown[], live: LiveListings = {}, retired: ReadonlySet<string> = new Set()): Catalog {
  const models = new Map<string, ModelInfo>();
  const listed = new Map<string, ListedModel>();
  for (const [provider, list] of Object.entries(live) as [ProviderId, readonly ListedModel[]][]) {
    for (const m of list) listed.set(`${provider}:${m.id}`, m);
  }
  for (const m of BUILTIN_MODELS) {
    const pricing = listed.get(m.id)?.pricing;
    models.set(m.id, pricing ? { ...m, pricing } : m);
  }
  for (const [provider, list] of Object.entries(live) as [ProviderId, readonly ListedModel[]][]) {
    for (const m of list) {
      const model = listedToModel(provider, m);
      if (!models.has(model.id)) models.set(model.id, model);
    }
  }
  for (const m of customModels(customSettings)) {
    const pricing = models.get(m.id)?.pricing;
    models.set(m.id, pricing ? { ...m, pricing } : m);
  }
  const all = [...models.values()].map((m) => (retired.has(m.id) ? { ...m, retired: true } : m));
  return new Catalog(all);
}

/** A listed model as a catalog entry of `provider`. Unknowns get the same defaults as a model from settings. */
export function listedToModel(provider: ProviderId, listed: ListedModel): ModelInfo {
  const vision = listed.vision === true;
  const contextLength = listed.contextLength ?? 8192;
  return {
    id: `${provider}:${listed.id}`,
    provider,
    providerModelId: listed.id,
    displayName: listed.name ?? listed.id,
    protocol: 'chat',
    vision,
    maxImages: vision ? 1 : 0,
    maxImageSide: vision ? LLAMA_VISION_MAX_SIDE : undefined,
    contextLength,
    maxOutputTokens: Math.min(listed.maxOutputTokens ?? 4096, contextLength),
    pricing: listed.pricing,
    // The listing's tools tag (DeepInfra) or capability (Ollama): the OpenAI `tools` field.
    ...(listed.tools ? { tools: 'native' as const } : {}),
    source: 'live',
  };
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
