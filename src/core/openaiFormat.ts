// The OpenAI chat-completions wire format, shared by the streaming client (DeepInfra, any
// OpenAI-compatible server) and Segmind's Llama slugs, which take the same body and answer one
// `chat.completion`.

import { toDataUrl } from './images';
import { ThinkTagSplitter } from './thinkTags';
import { wireToolCall } from './toolCalls';
import type { ChatOptions, ChatRequest, Usage } from './types';

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface WireMessage {
  role: string;
  content: string | ContentPart[] | null;
  tool_calls?: ReturnType<typeof wireToolCall>[];
  tool_call_id?: string;
}

/**
 * The conversation as OpenAI messages: the system prompt first when there is none, images as
 * `data:` URL parts, an assistant's tool calls as `tool_calls`, results as `role: "tool"`.
 */
export function wireMessages(request: ChatRequest): WireMessage[] {
  const out: WireMessage[] = [];
  const systemPrompt = request.options?.systemPrompt?.trim();
  if (systemPrompt && !request.messages.some((m) => m.role === 'system')) out.push({ role: 'system', content: systemPrompt });
  for (const message of request.messages) {
    if (message.toolCalls?.length) {
      out.push({ role: 'assistant', content: message.content || null, tool_calls: message.toolCalls.map(wireToolCall) });
      continue;
    }
    if (message.role === 'tool') {
      out.push({ role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content });
      continue;
    }
    if (!message.images?.length) {
      out.push({ role: message.role, content: message.content });
      continue;
    }
    const parts: ContentPart[] = message.content ? [{ type: 'text', text: message.content }] : [];
    for (const image of message.images) parts.push({ type: 'image_url', image_url: { url: toDataUrl(image) } });
    out.push({ role: message.role, content: parts });
  }
  return out;
}

/** `max_tokens`, `temperature`, `top_p`, only those the caller set. */
export function samplingFields(options: ChatOptions | undefined): Record<string, number> {
  const fields: Record<string, number> = {};
  if (options?.maxTokens !== undefined) fields.max_tokens = options.maxTokens;
  if (options?.temperature !== undefined) fields.temperature = options.temperature;
  if (options?.topP !== undefined) fields.top_p = options.topP;
  return fields;
}

/** `tools` and `tool_choice`, when the request offers tools. */
export function toolFields(request: ChatRequest): Record<string, unknown> {
  if (!request.tools?.length) return {};
  return {
    tools: request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description ?? '', parameters: t.parameters ?? { type: 'object', properties: {} } },
    })),
    tool_choice: request.toolMode === 'required' ? 'required' : 'auto',
  };
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** OpenAI `usage`, plus DeepInfra's `estimated_cost` (US dollars). */
export function parseUsage(raw: unknown): Usage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const u = raw as Record<string, unknown>;
  const usage: Usage = {
    promptTokens: finiteNumber(u.prompt_tokens),
    completionTokens: finiteNumber(u.completion_tokens),
    totalTokens: finiteNumber(u.total_tokens),
    costUsd: finiteNumber(u.estimated_cost),
  };
  return Object.values(usage).some((v) => v !== undefined) ? usage : undefined;
}

/** Message content as text: a string, or a list of parts (strings or `{type:'text', text}`). */
export function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else if (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string') text += (part as { text: string }).text;
  }
  return text;
}

/**
 * A delta's or message's reasoning: `reasoning_content` (DeepSeek, DeepInfra, vLLM) or `reasoning`
 * (Ollama, OpenRouter, newer vLLM); undefined when it carries none.
 */
export function reasoningText(part: Record<string, unknown> | undefined): string | undefined {
  if (!part) return undefined;
  const raw = part.reasoning_content ?? part.reasoning;
  return typeof raw === 'string' ? raw : undefined;
}

export interface Completion {
  readonly text: string;
  /** `message.reasoning_content` (or `reasoning`), or a leading `<think>…</think>` of the content. */
  readonly reasoning?: string;
  readonly finishReason?: string;
  readonly usage?: Usage;
  /** `message.tool_calls` as sent (see ToolCallAssembler.pushMessage). */
  readonly toolCalls?: unknown;
}

/** A whole `chat.completion` object; undefined when the JSON has neither `choices[0].message.content` nor `tool_calls`. */
export function parseCompletion(json: unknown): Completion | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as { choices?: unknown; usage?: unknown };
  const choice: unknown = Array.isArray(o.choices) ? o.choices[0] : undefined;
  if (typeof choice !== 'object' || choice === null) return undefined;
  const { message, finish_reason: finishReason } = choice as { message?: Record<string, unknown>; finish_reason?: unknown };
  const toolCalls = Array.isArray(message?.tool_calls) && message.tool_calls.length > 0 ? message.tool_calls : undefined;
  const content = contentText(message?.content) ?? (toolCalls ? '' : undefined);
  if (content === undefined) return undefined;
  const split = new ThinkTagSplitter();
  const text = split.push(content) + split.end();
  const reasoning = (reasoningText(message) ?? '') + split.takeReasoning();
  return {
    text: stripEndOfSequence(text),
    ...(reasoning ? { reasoning } : {}),
    finishReason: typeof finishReason === 'string' ? finishReason : undefined,
    usage: parseUsage(o.usage),
    ...(toolCalls ? { toolCalls } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// A stray `</s>` (the Llama end-of-sequence token) sometimes ends the text: drop it.

const EOS = '</s>';
/** The prefixes of `</s>`, longest first. */
const EOS_PREFIXES = ['</s>', '</s', '</', '<'];

export function stripEndOfSequence(text: string): string {
  return text.endsWith(EOS) ? text.slice(0, -EOS.length) : text;
}

/**
 * For streamed text, where `</s>` may arrive as its own delta or split over two: holds back a tail
 * that could be the start of `</s>` until the next delta shows whether it was. Only the very end of
 * the answer is stripped; a `</s>` mid-answer (say, in an HTML example) passes through.
 */
export class EndOfSequenceFilter {
  private held = '';

  push(text: string): string {
    if (this.held) {
      text = this.held + text;
      this.held = '';
    }
    const keep = heldLength(text);
    if (keep === 0) return text;
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** What is still held when the answer ends, minus a `</s>`. */
  end(): string {
    const held = this.held;
    this.held = '';
    return held === EOS ? '' : held;
  }
}

function heldLength(text: string): number {
  // Fast path: a tail that could start `</s>` ends in one of these four characters.
  const last = text.charCodeAt(text.length - 1);
  if (last !== 0x3c /* < */ && last !== 0x2f /* / */ && last !== 0x73 /* s */ && last !== 0x3e /* > */) return 0;
  for (const prefix of EOS_PREFIXES) if (text.endsWith(prefix)) return prefix.length;
  return 0;
}
