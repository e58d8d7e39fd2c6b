// Turns the conversation on screen into the request a model gets. No `vscode` here.

import { prepareImages } from '../core/images';
import { answerReserve, estimateMessageTokens, estimateRequestTokens, inputTokenLimit } from './tokens';
import type { ChatMessage, ChatRequest, ImageData, ModelInfo } from '../core/types';
import type { ViewMessage } from '../protocol';
import { lastPromptIndex, type SentContext, toImageData } from './conversation';
import { withContext } from './context/attachments';

export interface RequestSettings {
  readonly systemPrompt: string;
  readonly temperature: number;
  readonly maxTokens: number;
}

/**
 * Builds the request for `model` from the conversation up to and including the prompt being answered.
 *
 * - Only exchanges that got an answer are context: a prompt whose answer failed was asked again or
 *   abandoned. The newest prompt is always sent.
 * - Images go through the core's `prepareImages`, which keeps the latest ones the model takes (so a
 *   follow-up question still sees the picture) and refuses, before any request, images for a model
 *   that cannot see. A model that cannot see is only refused for the newest prompt's images; older
 *   ones (from before a model switch) are named in the text instead.
 * - Oldest exchanges are dropped when the conversation would not fit the model's context window
 *   less the room kept for the answer, by the core's token estimate (the one the context checks of
 *   the palette prompts and the Language Model API use too).
 *
 * - A prompt's attachments (`context`, by message id) go before its words, as they were sent the
 *   first time: Regenerate and Retry ask exactly the same.
 *
 * Throws ProviderError `unsupported` when the newest prompt's images cannot be sent.
 */
export function buildChatRequest(
  model: ModelInfo,
  history: readonly ViewMessage[],
  settings: RequestSettings,
  visionModels: readonly ModelInfo[],
  context: Readonly<Record<string, readonly SentContext[]>> = {},
): ChatRequest {
  const lastUserIndex = lastPromptIndex(history);
  const kept: ViewMessage[] = [];
  for (let i = 0; i < history.length; i++) {
    const m = history[i];
    if (m.role === 'user') {
      const answer = history[i + 1];
      const answered = answer?.role === 'assistant' && isUsableAnswer(answer);
      if (answered || i === lastUserIndex) kept.push(m);
    } else if (isUsableAnswer(m) && kept.at(-1)?.role === 'user') {
      kept.push(m);
    }
  }

  const newest = lastPromptIndex(kept);
  const withImages: ChatMessage[] = kept.map((m, i) => ({
    role: m.role,
    content: m.role === 'user' && Object.hasOwn(context, m.id) ? withContext(m.text, context[m.id].map((c) => c.block)) : m.text,
    images: model.vision || i === newest ? imagesOf(m) : [],
  }));
  const prepared = prepareImages({ model, messages: withImages }, visionModels);
  const messages = prepared.messages.map((m, i) => mentionLeftOut(m, kept[i]));

  const maxTokens = answerReserve(model, settings.maxTokens);
  const options = { maxTokens, temperature: settings.temperature, systemPrompt: settings.systemPrompt.trim() || undefined };
  // What the request costs before any message: its framing and the system prompt.
  const fixedCost = estimateRequestTokens({ model, messages: [], options });
  return { model, messages: fitToContext(messages, model, inputTokenLimit(model, maxTokens) - fixedCost), options };
}

function isUsableAnswer(m: ViewMessage): boolean {
  return (m.status === undefined || m.status === 'done' || m.status === 'stopped') && m.text.trim().length > 0;
}

function imagesOf(m: ViewMessage): ImageData[] {
  return (m.images ?? []).map(toImageData).filter((i): i is ImageData => i !== undefined);
}

/** The model should still know an image was there, even when it does not get the pixels again. */
function mentionLeftOut(m: ChatMessage, original: ViewMessage): ChatMessage {
  const sent = m.images?.length ?? 0;
  const names = (original.images ?? []).slice(0, (original.images?.length ?? 0) - sent).map((i) => i.name);
  const mention = names.length ? `[${names.length === 1 ? 'image' : 'images'} not included: ${names.join(', ')}]` : '';
  const content = [m.content.trim(), mention].filter(Boolean).join('\n\n') || (sent ? 'Describe this image.' : m.content);
  return sent ? { role: m.role, content, images: m.images } : { role: m.role, content };
}

/** Keeps the newest messages that fit, always the last one; the dropped prefix never starts with an assistant turn. */
function fitToContext(messages: ChatMessage[], model: ModelInfo, budget: number): ChatMessage[] {
  let used = 0;
  let start = messages.length;
  while (start > 0) {
    const cost = estimateMessageTokens(messages[start - 1], model);
    if (start < messages.length && used + cost > budget) break;
    used += cost;
    start--;
  }
  while (start < messages.length - 1 && messages[start].role !== 'user') start++;
  return messages.slice(start);
}
