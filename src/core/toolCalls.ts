// Tool calls as OpenAI-compatible servers stream them: `delta.tool_calls` fragments, keyed by
// `index`. The id, type and name come only on a call's first fragment; the arguments are a JSON
// text cut anywhere (mid-word, mid-escape, mid-character), so they are concatenated as text and
// parsed once, when the stream says it is done.

import { ProviderError, redact } from './errors';
import { providerName } from './providerTable';
import type { ChatRequest, ProviderId, ToolCall, ToolCapability } from './types';

/** How much of unreadable arguments an error keeps in its detail. */
const RAW_ARGUMENTS_LIMIT = 4000;
/** All calls' names and arguments together may not pass this: a runaway server would fill memory. */
export const TOOL_CALLS_LIMIT_CHARS = 8_000_000;

interface PartialCall {
  id?: string;
  name: string;
  arguments: string;
}

/**
 * Gathers the fragments of one answer's calls. Fragments of several calls may interleave; each
 * joins the call of its `index` (a fragment without one joins the latest call, as a few servers
 * send a single call that way).
 */
export class ToolCallAssembler {
  private readonly calls: PartialCall[] = [];
  private readonly byIndex = new Map<number, PartialCall>();
  private last: PartialCall | undefined;
  private chars = 0;

  get size(): number {
    return this.calls.length;
  }

  /** The calls have grown past `TOOL_CALLS_LIMIT_CHARS`; nothing more is added. */
  get tooLarge(): boolean {
    return this.chars > TOOL_CALLS_LIMIT_CHARS;
  }

  /** One `delta.tool_calls` array of fragments. */
  push(fragments: unknown): void {
    if (!Array.isArray(fragments)) return;
    for (const raw of fragments as unknown[]) this.pushOne(raw, undefined);
  }

  /** A piece of the arguments of the call at `index` (an event read through ArgumentsTemplate). */
  appendArguments(index: number, text: string): void {
    const call = this.byIndex.get(index);
    if (!call || this.tooLarge) return this.pushOne({ index, function: { arguments: text } }, undefined);
    call.arguments += text;
    this.chars += text.length;
    this.last = call;
  }

  /** A whole message's `tool_calls` (a server that did not stream): each entry is one call. */
  pushMessage(calls: unknown): void {
    if (!Array.isArray(calls)) return;
    (calls as unknown[]).forEach((raw, position) => this.pushOne(raw, this.calls.length + position));
  }

  private pushOne(raw: unknown, fallbackIndex: number | undefined): void {
    if (typeof raw !== 'object' || raw === null || this.tooLarge) return;
    const f = raw as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } | null };
    const index = typeof f.index === 'number' && fallbackIndex === undefined ? f.index : fallbackIndex;
    const id = typeof f.id === 'string' && f.id ? f.id : undefined;
    let call: PartialCall | undefined;
    if (index !== undefined) call = this.byIndex.get(index);
    // No index: the fragment continues the latest call unless it brings another id.
    else if (this.last && !(id && this.last.id && id !== this.last.id)) call = this.last;
    if (!call) {
      call = { name: '', arguments: '' };
      this.calls.push(call);
      if (index !== undefined) this.byIndex.set(index, call);
    }
    this.last = call;
    if (id && !call.id) call.id = id;
    const fn = f.function;
    if (fn && typeof fn === 'object') {
      // Sent once by OpenAI; a few servers repeat it on every fragment.
      const before = call.name.length + call.arguments.length;
      if (typeof fn.name === 'string' && fn.name !== call.name) call.name += fn.name;
      if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
      // A few servers send the arguments as an object rather than a JSON text.
      else if (typeof fn.arguments === 'object' && fn.arguments !== null) call.arguments += JSON.stringify(fn.arguments);
      this.chars += call.name.length + call.arguments.length - before;
    }
  }

  /**
   * The complete calls, in the order they began. Throws a `protocol` ProviderError, with the raw
   * arguments in its detail, when a call has no name or its arguments are not a JSON object.
   */
  finish(provider: ProviderId, key: string | undefined): ToolCall[] {
    return this.calls.map((call, i) => {
      const name = call.name.trim();
      if (!name) throw toolCallError(provider, 'a tool call without a function name', call.arguments, key);
      return { id: call.id || `call_${i}`, name, arguments: parseToolArguments(provider, name, call.arguments, key) };
    });
  }
}

/** A call's arguments text as an object; '' (some servers' way of saying "no arguments") is `{}`. */
export function parseToolArguments(provider: ProviderId, name: string, text: string, key: string | undefined): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw toolCallError(provider, `arguments of the tool call “${name}” that are not valid JSON`, text, key);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw toolCallError(provider, `arguments of the tool call “${name}” that are not a JSON object`, text, key);
  }
  return value as Record<string, unknown>;
}

function toolCallError(provider: ProviderId, what: string, raw: string, key: string | undefined): ProviderError {
  const clipped = raw.length > RAW_ARGUMENTS_LIMIT ? `${raw.slice(0, RAW_ARGUMENTS_LIMIT)}…` : raw;
  return new ProviderError({
    kind: 'protocol',
    provider,
    message: `The model sent ${what}, so the tool was not run. Retry; if it keeps happening, pick another model or show the log.`,
    detail: redact(`Raw arguments: ${clipped}`, key),
    nextStep: 'retryOrLog',
  });
}

/** The OpenAI wire form of a call, for an assistant turn sent back in a later request. */
export function wireToolCall(call: ToolCall): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
}

/**
 * Refuses, before any request, tools the model cannot take: a model without that way of calling
 * them (`how`), or more tools than it allows.
 */
export function checkTools(request: ChatRequest, how: ToolCapability): void {
  const count = request.tools?.length ?? 0;
  if (count === 0) return;
  const { model } = request;
  if (model.tools !== how) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `${model.displayName} on ${providerName(model.provider)} cannot call tools. Pick a model that can (the model list says which), or ask without tools.`,
    });
  }
  if (model.maxTools !== undefined && count > model.maxTools) {
    throw new ProviderError({
      kind: 'unsupported',
      provider: model.provider,
      message: `The request offers ${count} tools; ${model.displayName} on ${providerName(model.provider)} takes at most ${model.maxTools}. Turn some tools off, then send again.`,
      nextStep: 'changeRequest',
    });
  }
}
