// Reading what providers say they serve: DeepInfra's `/models` (ids with context, output limit,
// prices and tags), an OpenAI-compatible `/models` (ids only) and Ollama's `/api/show` (the context
// it runs with, whether a model sees images or calls tools). Every listing is hostile input: counts,
// lengths and numbers are bounded, entries of the wrong shape are skipped, never thrown on.

import type { ModelPricing } from './types';

/** The most models one listing contributes; DeepInfra lists a few hundred. */
export const MAX_LISTED_MODELS = 2000;
/** The largest listing body read, in bytes (over it the listing fails as too large). */
export const MAX_LISTING_BYTES = 8 * 1024 * 1024;
/** Ids and names past this length are not model ids. */
const MAX_ID_CHARS = 200;
const MAX_CONTEXT = 100_000_000;
/** Dollars per million tokens above this are garbage, not a price. */
const MAX_PRICE = 100_000;

/** What a listing says of one model, before it becomes a catalog entry. */
export interface ListedModel {
  readonly id: string;
  readonly name?: string;
  readonly contextLength?: number;
  readonly maxOutputTokens?: number;
  readonly pricing?: ModelPricing;
  readonly vision?: boolean;
  readonly tools?: boolean;
  readonly reasoning?: boolean;
}

/** Task names that are not chat: embeddings, images, speech, classification. */
const NON_CHAT = /embed|rerank|image|speech|audio|asr|tts|whisper|classif|ocr|video|diffusion|sdxl|flux|moderation/i;

/**
 * DeepInfra's `GET /models`: `{data: [{id, metadata: {context_length, max_tokens, pricing:
 * {input_tokens, output_tokens}, tags, type?}}]}`. Only chat models: an entry whose type or tags name
 * another task, or with no token prices (embedding and image models are priced otherwise), is left out.
 */
export function parseDeepInfraListing(json: unknown): ListedModel[] {
  const out: ListedModel[] = [];
  const seen = new Set<string>();
  for (const entry of listingEntries(json)) {
    if (out.length >= MAX_LISTED_MODELS) break;
    const id = modelId(entry.id);
    if (!id || seen.has(id)) continue;
    const meta = asObject(entry.metadata);
    if (!meta) continue;
    const tags = stringList(meta.tags);
    const type = [entry.type, entry.task, meta.type, meta.task, entry.reported_type].find((t) => typeof t === 'string') as string | undefined;
    if (type !== undefined && !/text-generation|chat|completion|llm/i.test(type)) continue;
    if (tags.some((t) => NON_CHAT.test(t) && !/vision|image-text|multimodal/i.test(t))) continue;
    const pricing = tokenPricing(asObject(meta.pricing));
    if (!pricing) continue;
    seen.add(id);
    out.push({
      id,
      name: displayNameOf(id),
      contextLength: positiveInt(meta.context_length, MAX_CONTEXT),
      maxOutputTokens: positiveInt(meta.max_tokens, MAX_CONTEXT),
      pricing,
      vision: tags.some((t) => /^(vision|multimodal|image-text-to-text)$/i.test(t)) || undefined,
      tools: tags.some((t) => /^(tools|tool[-_ ]?(use|calling)|function[-_ ]?calling)$/i.test(t)) || undefined,
      reasoning: tags.some((t) => /^reasoning$/i.test(t)) || undefined,
    });
  }
  return out;
}

/** An OpenAI-compatible `GET /models`: `{data: [{id}]}`; ids only. Embedding models are left out by name. */
export function parseOpenAIListing(json: unknown): ListedModel[] {
  const out: ListedModel[] = [];
  const seen = new Set<string>();
  for (const entry of listingEntries(json)) {
    if (out.length >= MAX_LISTED_MODELS) break;
    const id = modelId(entry.id);
    if (!id || seen.has(id) || /embed|rerank|whisper|tts/i.test(id)) continue;
    seen.add(id);
    out.push({ id });
  }
  return out;
}

/** What Ollama's `POST /api/show` adds to a listed model. */
export interface OllamaDetails {
  readonly contextLength?: number;
  readonly vision?: boolean;
  readonly tools?: boolean;
  readonly reasoning?: boolean;
  /** False when the model only embeds. */
  readonly chat?: boolean;
}

/**
 * `{capabilities: ["completion","vision","tools","thinking"], parameters: "num_ctx 8192\n…",
 * model_info: {"<arch>.context_length": 131072}}`. The context it runs with is `num_ctx` when the
 * model sets one; otherwise the length it was trained for.
 */
export function parseOllamaShow(json: unknown): OllamaDetails {
  const o = asObject(json);
  if (!o) return {};
  const capabilities = stringList(o.capabilities);
  const info = asObject(o.model_info);
  let trained: number | undefined;
  if (info) {
    for (const [key, value] of Object.entries(info).slice(0, 5000)) {
      if (key.endsWith('.context_length')) trained = positiveInt(value, MAX_CONTEXT);
      if (trained) break;
    }
  }
  const parameters = typeof o.parameters === 'string' ? o.parameters.slice(0, 20_000) : '';
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d{1,9})\s*(?:\n|$)/.exec(parameters);
  const contextLength = numCtx ? positiveInt(Number(numCtx[1]), MAX_CONTEXT) : trained;
  const has = (name: string): boolean | undefined => (capabilities.length ? capabilities.includes(name) : undefined);
  return {
    contextLength,
    vision: has('vision'),
    tools: has('tools'),
    reasoning: has('thinking'),
    chat: capabilities.length ? capabilities.includes('completion') : undefined,
  };
}

/** "meta-llama/Llama-3.3-70B-Instruct" → "Llama 3.3 70B Instruct"; ids without an owner stay as they are. */
export function displayNameOf(id: string): string {
  const last = id.slice(id.lastIndexOf('/') + 1);
  if (!id.includes('/')) return last;
  return last.replace(/[-_]+/g, ' ').trim() || id;
}

function listingEntries(json: unknown): Record<string, unknown>[] {
  const o = asObject(json);
  const data = Array.isArray(json) ? json : o && Array.isArray(o.data) ? o.data : o && Array.isArray(o.models) ? o.models : [];
  const out: Record<string, unknown>[] = [];
  // Past this many entries a listing is not worth reading on: the rest is skipped.
  for (const item of (data as unknown[]).slice(0, MAX_LISTED_MODELS * 4)) {
    const entry = asObject(item);
    if (entry) out.push(entry);
  }
  return out;
}

function modelId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  // Control characters or spaces make it something other than a model id.
  if (!id || id.length > MAX_ID_CHARS || /[\s\u0000-\u001f\u007f]/.test(id)) return undefined;
  return id;
}

function tokenPricing(pricing: Record<string, unknown> | undefined): ModelPricing | undefined {
  if (!pricing) return undefined;
  const input = price(pricing.input_tokens);
  const output = price(pricing.output_tokens);
  if (input === undefined || output === undefined) return undefined;
  return { inputPerMillion: input, outputPerMillion: output };
}

function price(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_PRICE ? n : undefined;
}

function positiveInt(value: unknown, max: number): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), max) : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.slice(0, 100).filter((t): t is string => typeof t === 'string' && t.length <= 100) : [];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
