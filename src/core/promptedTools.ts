// Tools for endpoints that take no `tools` field (Segmind's Llama slugs): Llama 3.1+'s documented
// JSON function calling. The functions go into the system message as JSON, one per line; the model
// answers a call as `{"name": …, "parameters": {…}}`. Models wrap that in prose, a ```json fence or
// `<|python_tag|>`, so the answer is searched for it rather than parsed whole; JSON naming a
// function that was not offered stays text.

import type { ChatMessage, ChatRequest, ToolCall, ToolDefinition } from './types';

/** Answers longer than this are not searched for a call (a call is a few hundred characters). */
const MAX_SEARCHED_CHARS = 256 * 1024;
/** JSON candidates tried per answer, so a brace-heavy answer cannot cost quadratic time. */
const MAX_CANDIDATES = 64;

/** The system message's tool section, in the words of Llama 3.1's JSON tool-calling prompt. */
export function toolPrompt(tools: readonly ToolDefinition[], mode: 'auto' | 'required'): string {
  const functions = tools.map((t) =>
    JSON.stringify({ name: t.name, description: t.description ?? '', parameters: t.parameters ?? { type: 'object', properties: {} } }),
  );
  return [
    'You have access to the following functions. To call a function, respond with only a JSON object in the format ' +
      '{"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.',
    mode === 'required'
      ? 'You must call one of these functions now.'
      : 'Call a function only when it helps answer the user; otherwise answer in plain text.',
    'After a call, the function\'s output comes back in the next message; use it to answer.',
    '',
    ...functions,
  ].join('\n');
}

/**
 * The request as a plain chat: the tool section joined to the system message (or the system prompt
 * option), earlier calls as the JSON the model would have written, results as user messages that
 * name the function (Segmind documents only the system, user and assistant roles).
 */
export function withPromptedTools(request: ChatRequest): ChatRequest {
  const tools = request.tools ?? [];
  const messages = plainTurns(request.messages);
  if (tools.length === 0) return { ...request, messages };
  const section = toolPrompt(tools, request.toolMode ?? 'auto');
  const systemAt = messages.findIndex((m) => m.role === 'system');
  if (systemAt >= 0) {
    messages[systemAt] = { ...messages[systemAt], content: `${messages[systemAt].content.trim()}\n\n${section}` };
  } else {
    const prompt = request.options?.systemPrompt?.trim();
    messages.unshift({ role: 'system', content: prompt ? `${prompt}\n\n${section}` : section });
  }
  return { ...request, messages, tools: undefined, toolMode: undefined };
}

/** Calls as the JSON the model writes; the results of one round of calls as one user message. */
function plainTurns(all: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let resultsAt = -1;
  for (const m of all) {
    if (m.role === 'tool') {
      const output = `Output of ${toolNameOf(all, m.toolCallId) ?? 'the function'}:\n${m.content}`;
      if (resultsAt === out.length - 1 && resultsAt >= 0) out[resultsAt] = { role: 'user', content: `${out[resultsAt].content}\n\n${output}` };
      else {
        out.push({ role: 'user', content: output });
        resultsAt = out.length - 1;
      }
      continue;
    }
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const calls = m.toolCalls.map((c) => JSON.stringify({ name: c.name, parameters: c.arguments }));
      out.push({ role: 'assistant', content: [m.content.trim(), ...calls].filter(Boolean).join('\n') });
    } else {
      out.push(m);
    }
  }
  return out;
}

function toolNameOf(messages: readonly ChatMessage[], id: string | undefined): string | undefined {
  if (!id) return undefined;
  for (const m of messages) for (const c of m.toolCalls ?? []) if (c.id === id) return c.name;
  return undefined;
}

export interface PromptedAnswer {
  /** The answer's text with the calls (and their fences and tags) taken out. */
  readonly text: string;
  readonly calls: ToolCall[];
}

/**
 * Finds the calls in a prompted answer: JSON objects `{"name", "parameters"}` (or `"arguments"`)
 * naming an offered function, alone, in a list, in a fence or after `<|python_tag|>`, with prose
 * around them. Ids are made up (`call_1`…), as the model gives none.
 */
export function parsePromptedAnswer(answer: string, tools: readonly ToolDefinition[]): PromptedAnswer {
  const names = new Set(tools.map((t) => t.name));
  const cleaned = answer.replace(/<\|(python_tag|eom_id|eot_id)\|>/g, '\n');
  if (names.size === 0 || cleaned.length > MAX_SEARCHED_CHARS) return { text: answer, calls: [] };
  const calls: ToolCall[] = [];
  const spans: [number, number][] = [];
  let tried = 0;
  for (let at = firstOpening(cleaned, 0); at >= 0 && tried < MAX_CANDIDATES; tried++) {
    const end = jsonEnd(cleaned, at);
    const found = end > at ? callsIn(cleaned.slice(at, end), names) : undefined;
    if (found) {
      for (const c of found) calls.push({ id: `call_${calls.length + 1}`, ...c });
      spans.push([at, end]);
      at = firstOpening(cleaned, end);
    } else {
      at = firstOpening(cleaned, at + 1);
    }
  }
  if (calls.length === 0) return { text: answer, calls };
  let text = '';
  let from = 0;
  for (const [start, end] of spans) {
    text += cleaned.slice(from, start);
    from = end;
  }
  text += cleaned.slice(from);
  // The fences that held the calls are empty now; what is left is prose.
  text = text.replace(/```[a-zA-Z]*\s*```/g, '').replace(/\n{3,}/g, '\n\n').trim();
  return { text, calls };
}

function firstOpening(text: string, from: number): number {
  const brace = text.indexOf('{', from);
  const bracket = text.indexOf('[', from);
  if (brace < 0) return bracket;
  if (bracket < 0) return brace;
  return Math.min(brace, bracket);
}

/** Where the JSON value opening at `start` ends (exclusive), by bracket depth outside strings; -1 if it does not. */
function jsonEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The calls one JSON text holds: a call object or a list of them, every one naming an offered function. */
function callsIn(json: string, names: ReadonlySet<string>): Omit<ToolCall, 'id'>[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return undefined;
  const out: Omit<ToolCall, 'id'>[] = [];
  for (const item of list) {
    const call = asCall(item, names);
    if (!call) return undefined;
    out.push(call);
  }
  return out;
}

function asCall(item: unknown, names: ReadonlySet<string>): Omit<ToolCall, 'id'> | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as { name?: unknown; parameters?: unknown; arguments?: unknown };
  if (typeof o.name !== 'string' || !names.has(o.name)) return undefined;
  let args = o.parameters ?? o.arguments ?? {};
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      return undefined;
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  return { name: o.name, arguments: args as Record<string, unknown> };
}
