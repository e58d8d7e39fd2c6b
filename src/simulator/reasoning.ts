// How a reasoning model thinks out loud before it answers. DeepInfra (and vLLM, DeepSeek's own API)
// stream it as `delta.reasoning_content`; Ollama and OpenRouter as `delta.reasoning`; some servers
// leave it in the content as a leading `<think>…</think>` (R1 distills without a reasoning parser).
// The words say what arrived, so a test can tell this turn's thinking from an earlier one's.

import { DEEPINFRA_CHAT_MODELS, OLLAMA_MODELS } from './listings';
import { tokenize } from './answers';

/** Where a model puts its reasoning; undefined for a model that does not reason. */
export type ReasoningStyle = 'reasoning_content' | 'reasoning' | 'think-tags';

/** Models whose server leaves the reasoning inline in the content. */
const THINK_TAG_MODELS = new Set(['deepseek-ai/DeepSeek-R1-Distill-Llama-70B']);

export function reasoningStyle(model: string, flavor: 'deepinfra' | 'openai'): ReasoningStyle | undefined {
  if (flavor === 'deepinfra') {
    if (!DEEPINFRA_CHAT_MODELS[model]?.reasoning) return undefined;
    return THINK_TAG_MODELS.has(model) ? 'think-tags' : 'reasoning_content';
  }
  return OLLAMA_MODELS[model]?.capabilities.includes('thinking') ? 'reasoning' : undefined;
}

/** Every simulated thought starts with this, so a test can look for it in later requests. */
export const REASONING_MARK = 'Simulated reasoning';

/** The reasoning, one token per streamed fragment (about 40 of them). */
export function reasoningTokens(turn: number, lastPromptChars: number, imageCount: number): string[] {
  const images = imageCount ? ` and ${imageCount} image${imageCount === 1 ? '' : 's'}` : '';
  return tokenize(
    `${REASONING_MARK} for turn ${turn}: the user sent a prompt of ${lastPromptChars} characters${images}. ` +
      'I should **answer briefly**, repeat what arrived, and show a short code example.\n\n' +
      '- First, count the messages.\n- Then, write the answer.',
  );
}
