// What the simulated providers say they serve: a DeepInfra `/models` listing in the shape of the
// real one (dozens of chat models with context, output limit, prices per million tokens and tags,
// plus a few embedding and image models that are not chat), an Ollama `/v1/models` and
// `/api/show`, and the Segmind slugs that have been retired (410).

import { LLAMA_VISION_MAX_SIDE } from './vision';

export interface ListedDeepInfraModel {
  readonly vision: boolean;
  readonly maxImageSide?: number;
  readonly contextLength: number;
  readonly maxTokens: number;
  /** US dollars per million tokens. */
  readonly inputPrice: number;
  readonly outputPrice: number;
  readonly tags: readonly string[];
  /** Streams `reasoning_content` before the answer. */
  readonly reasoning?: boolean;
}

function chat(contextLength: number, inputPrice: number, outputPrice: number, tags: string[] = [], maxTokens = 16384): ListedDeepInfraModel {
  const vision = tags.includes('vision');
  return {
    vision,
    maxImageSide: vision ? LLAMA_VISION_MAX_SIDE : undefined,
    contextLength,
    maxTokens: Math.min(maxTokens, contextLength),
    inputPrice,
    outputPrice,
    tags,
    reasoning: tags.includes('reasoning') || undefined,
  };
}

/** Chat models: the four the extension ships with first, then what a DeepInfra account sees today. */
export const DEEPINFRA_CHAT_MODELS: Readonly<Record<string, ListedDeepInfraModel>> = {
  'meta-llama/Llama-3.2-11B-Vision-Instruct': chat(131072, 0.049, 0.049, ['vision'], 4096),
  'meta-llama/Llama-3.2-90B-Vision-Instruct': chat(131072, 0.35, 0.4, ['vision'], 4096),
  'meta-llama/Meta-Llama-3-8B-Instruct': chat(8192, 0.03, 0.06, [], 4096),
  'llava-hf/llava-1.5-7b-hf': chat(4096, 0.34, 0.34, ['vision'], 2048),
  'meta-llama/Llama-3.3-70B-Instruct': chat(131072, 0.23, 0.4, ['tools']),
  'meta-llama/Llama-3.3-70B-Instruct-Turbo': chat(131072, 0.13, 0.39, ['tools']),
  'meta-llama/Meta-Llama-3.1-8B-Instruct': chat(131072, 0.03, 0.05, ['tools']),
  'meta-llama/Meta-Llama-3.1-70B-Instruct': chat(131072, 0.23, 0.4, ['tools']),
  'meta-llama/Meta-Llama-3.1-405B-Instruct': chat(32768, 0.8, 0.8, ['tools']),
  'meta-llama/Llama-4-Scout-17B-16E-Instruct': chat(327680, 0.08, 0.3, ['vision', 'tools']),
  'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8': chat(1048576, 0.15, 0.6, ['vision', 'tools']),
  'meta-llama/Llama-3.2-3B-Instruct': chat(131072, 0.015, 0.025),
  'meta-llama/Llama-3.2-1B-Instruct': chat(131072, 0.005, 0.01),
  'deepseek-ai/DeepSeek-R1': chat(163840, 0.7, 2.4, ['reasoning']),
  'deepseek-ai/DeepSeek-R1-Distill-Llama-70B': chat(131072, 0.23, 0.69, ['reasoning']),
  'deepseek-ai/DeepSeek-V3': chat(163840, 0.38, 0.89, ['tools']),
  'deepseek-ai/DeepSeek-V3.1': chat(163840, 0.27, 1.0, ['tools', 'reasoning']),
  'Qwen/Qwen3-235B-A22B': chat(40960, 0.13, 0.6, ['tools', 'reasoning']),
  'Qwen/Qwen3-32B': chat(40960, 0.1, 0.3, ['tools', 'reasoning']),
  'Qwen/Qwen3-14B': chat(40960, 0.06, 0.24, ['tools', 'reasoning']),
  'Qwen/Qwen3-Coder-480B-A35B-Instruct': chat(262144, 0.4, 1.6, ['tools']),
  'Qwen/Qwen2.5-72B-Instruct': chat(32768, 0.12, 0.39, ['tools']),
  'Qwen/Qwen2.5-Coder-32B-Instruct': chat(32768, 0.06, 0.15),
  'Qwen/Qwen2.5-VL-32B-Instruct': chat(128000, 0.2, 0.6, ['vision']),
  'Qwen/QwQ-32B': chat(131072, 0.15, 0.2, ['reasoning']),
  'google/gemma-3-27b-it': chat(131072, 0.09, 0.17, ['vision']),
  'google/gemma-3-12b-it': chat(131072, 0.05, 0.1, ['vision']),
  'google/gemma-3-4b-it': chat(131072, 0.02, 0.04, ['vision']),
  'google/gemma-2-9b-it': chat(8192, 0.03, 0.06),
  'mistralai/Mistral-Small-3.2-24B-Instruct-2506': chat(128000, 0.05, 0.1, ['vision', 'tools']),
  'mistralai/Mistral-Nemo-Instruct-2407': chat(131072, 0.02, 0.04, ['tools']),
  'mistralai/Mixtral-8x7B-Instruct-v0.1': chat(32768, 0.24, 0.24),
  'mistralai/Devstral-Small-2507': chat(128000, 0.07, 0.28, ['tools']),
  'microsoft/phi-4': chat(16384, 0.07, 0.14),
  'microsoft/Phi-4-multimodal-instruct': chat(131072, 0.05, 0.1, ['vision']),
  'microsoft/WizardLM-2-8x22B': chat(65536, 0.48, 0.48),
  'NousResearch/Hermes-3-Llama-3.1-405B': chat(131072, 1.0, 1.0, ['tools']),
  'nvidia/Llama-3.1-Nemotron-70B-Instruct': chat(131072, 0.12, 0.3),
  'moonshotai/Kimi-K2-Instruct': chat(131072, 0.5, 2.0, ['tools']),
  'zai-org/GLM-4.5': chat(131072, 0.4, 1.6, ['tools', 'reasoning']),
  'openai/gpt-oss-120b': chat(131072, 0.09, 0.45, ['tools', 'reasoning']),
  'openai/gpt-oss-20b': chat(131072, 0.04, 0.16, ['tools', 'reasoning']),
  'allenai/olmOCR-7B-0725-FP8': chat(16384, 0.27, 1.5, ['vision']),
  'Gryphe/MythoMax-L2-13b': chat(4096, 0.065, 0.065, [], 4096),
  'Sao10K/L3.3-70B-Euryale-v2.3': chat(131072, 0.65, 0.75),
  // Known only to this listing: the e2e picks it by typing part of its name.
  'simulated/Zephyr-Orbit-12B-Instruct': chat(65536, 0.11, 0.22, ['tools']),
};

/** Models DeepInfra lists that are not chat models: no token prices, another type. */
const NON_CHAT = [
  { id: 'BAAI/bge-large-en-v1.5', type: 'embeddings', pricing: { input_tokens: 0.01 } },
  { id: 'sentence-transformers/all-MiniLM-L6-v2', type: 'embeddings', pricing: { input_tokens: 0.005 } },
  { id: 'black-forest-labs/FLUX-1-schnell', type: 'text-to-image', pricing: { per_image: 0.0005 } },
  { id: 'stabilityai/sdxl-turbo', type: 'text-to-image', pricing: { per_image: 0.0002 } },
  { id: 'openai/whisper-large-v3-turbo', type: 'automatic-speech-recognition', pricing: { per_second: 0.0002 } },
  { id: 'hexgrad/Kokoro-82M', type: 'text-to-speech', pricing: { per_character: 0.0000006 } },
];

const CREATED = 1_700_000_000;

/** DeepInfra's `GET /v1/openai/models` body. */
export function deepinfraListing(): unknown {
  const data: unknown[] = Object.entries(DEEPINFRA_CHAT_MODELS).map(([id, m]) => ({
    id,
    object: 'model',
    created: CREATED,
    owned_by: 'deepinfra',
    metadata: {
      description: `${id} on DeepInfra.`,
      context_length: m.contextLength,
      max_tokens: m.maxTokens,
      pricing: { input_tokens: m.inputPrice, output_tokens: m.outputPrice },
      tags: m.tags,
    },
  }));
  for (const m of NON_CHAT) {
    data.push({ id: m.id, object: 'model', created: CREATED, owned_by: 'deepinfra', metadata: { description: m.id, type: m.type, pricing: m.pricing, tags: [m.type] } });
  }
  return { object: 'list', data };
}

interface OllamaModel {
  readonly capabilities: readonly string[];
  readonly contextLength: number;
  readonly numCtx?: number;
}

/** What `ollama list` would show on a developer's machine. `sim-text` and `sim-vision` stay for older tests. */
export const OLLAMA_MODELS: Readonly<Record<string, OllamaModel>> = {
  'sim-text': { capabilities: ['completion'], contextLength: 8192 },
  'sim-vision': { capabilities: ['completion', 'vision'], contextLength: 8192 },
  'llama3.2-vision:11b': { capabilities: ['completion', 'vision'], contextLength: 131072, numCtx: 16384 },
  'qwen3:8b': { capabilities: ['completion', 'tools', 'thinking'], contextLength: 40960 },
  'gemma3:4b': { capabilities: ['completion', 'vision'], contextLength: 131072 },
  'nomic-embed-text:latest': { capabilities: ['embedding'], contextLength: 2048 },
};

/** Ollama's OpenAI-compatible `GET /v1/models`. */
export function ollamaListing(): unknown {
  return { object: 'list', data: Object.keys(OLLAMA_MODELS).map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'library' })) };
}

/** Ollama's `POST /api/show {model}`; undefined for a model it does not have. */
export function ollamaShow(model: string): unknown {
  const m = OLLAMA_MODELS[model];
  if (!m) return undefined;
  const arch = model.startsWith('qwen') ? 'qwen3' : model.startsWith('gemma') ? 'gemma3' : 'llama';
  return {
    license: 'simulated',
    modelfile: `FROM ${model}`,
    parameters: m.numCtx ? `num_ctx                        ${m.numCtx}\nstop                           "<|eot_id|>"` : 'stop                           "<|eot_id|>"',
    template: '{{ .Prompt }}',
    details: { format: 'gguf', family: arch, parameter_size: '8B', quantization_level: 'Q4_K_M' },
    model_info: { 'general.architecture': arch, [`${arch}.context_length`]: m.contextLength, [`${arch}.embedding_length`]: 4096 },
    capabilities: m.capabilities,
  };
}

/** Segmind slugs that existed and were taken down: they answer 410 Gone. */
export const SEGMIND_RETIRED = new Set(['llama-v3p1-405b-instruct']);
