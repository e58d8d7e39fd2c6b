import type { ProviderDescriptor } from './descriptor';

/** Ollama, vLLM, llama.cpp's server, LM Studio: one client, an optional key, whatever models they serve. */
export const OPENAI_COMPATIBLE = {
  id: 'openaiCompatible',
  name: 'OpenAI-compatible server',
  inSentence: 'the OpenAI-compatible server',
  api: 'openai',
  baseUrl: { default: 'http://localhost:11434/v1', setting: 'openaiCompatible.baseUrl' },
  // No environment fallback: the key is optional and server-specific.
  key: { required: false, header: 'bearer', checkUrl: (baseUrl: string) => `${baseUrl}/models` },
  catalog: { kind: 'openai', path: 'models', ollamaDetails: true },
  reportsBalance: false,
  reportsCostUsd: false,
} as const satisfies ProviderDescriptor<'openaiCompatible'>;
