// A tool call streams as many small events that differ only in their piece of the arguments: OpenAI,
// vLLM and DeepInfra repeat the same id, created, model and nesting around it every time. Parsing
// each whole event made a tool-call stream cost the client about a quarter more CPU than a text
// stream of the same bytes (bench/client.ts). Once one such event has been parsed in full, a later
// event that is byte for byte the same outside that piece needs only the piece parsed.
//
// Sound by construction: the template is the text before and after the arguments string of an event
// read in full, and it is kept only if a probe string put in that place is read back, by the full
// parser, as a bare arguments piece of the same call. An event is taken through the template only
// when it starts and ends with those texts and what lies between is one JSON string, so it has the
// same tokens with one string replaced: the full parser would read exactly what the template reads.

/** What an event that carries nothing but a piece of a call's arguments says. */
export interface ArgumentsPiece {
  readonly index: number;
  readonly text: string;
}

/** Learning costs a search and a parse: a server whose events never repeat stops being learned from. */
const MAX_LEARNS = 8;
const PROBE = '\u0000probe';
const QUOTE = 34;

export class ArgumentsTemplate {
  private prefix: string | undefined;
  private suffix = '';
  private index = 0;
  private learns = 0;

  /** The piece `data` carries when it is the learned event with another arguments string; else undefined. */
  match(data: string): ArgumentsPiece | undefined {
    const prefix = this.prefix;
    if (prefix === undefined) return undefined;
    const end = data.length - this.suffix.length;
    if (end - prefix.length < 2 || data.charCodeAt(prefix.length) !== QUOTE || !data.startsWith(prefix) || !data.endsWith(this.suffix)) return undefined;
    let text: unknown;
    try {
      text = JSON.parse(data.slice(prefix.length, end));
    } catch {
      return undefined;
    }
    return typeof text === 'string' ? { index: this.index, text } : undefined;
  }

  /** After `data` was parsed in full into `frame`: learns its template when it was a bare arguments piece. */
  learn(data: string, frame: unknown): void {
    if (this.learns >= MAX_LEARNS) return;
    const piece = argumentsPiece(frame);
    if (!piece) return;
    this.learns++;
    const literal = JSON.stringify(piece.text);
    const at = data.lastIndexOf(literal);
    if (at < 0) return; // the server escapes differently from JSON.stringify: every event is read in full
    const prefix = data.slice(0, at);
    const suffix = data.slice(at + literal.length);
    let probe: ArgumentsPiece | undefined;
    try {
      probe = argumentsPiece(JSON.parse(`${prefix}${JSON.stringify(PROBE)}${suffix}`));
    } catch {
      return;
    }
    if (probe?.index !== piece.index || probe.text !== PROBE) return;
    this.prefix = prefix;
    this.suffix = suffix;
    this.index = piece.index;
  }
}

const absent = (value: unknown) => value === undefined || value === null;

/**
 * The piece of arguments a parsed event carries when that is all it carries: one choice, no finish,
 * no text, reasoning, usage or error, one tool-call fragment with an index and arguments and no id
 * or name (those start a call). Anything else is read by the full path.
 */
export function argumentsPiece(frame: unknown): ArgumentsPiece | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const f = frame as Record<string, unknown>;
  if (!absent(f.usage) || f.error !== undefined || f.error_type !== undefined || f.error_message !== undefined) return undefined;
  if (!Array.isArray(f.choices) || f.choices.length !== 1) return undefined;
  const choice = f.choices[0] as Record<string, unknown> | null;
  if (typeof choice !== 'object' || choice === null || !absent(choice.finish_reason) || choice.message !== undefined) return undefined;
  const delta = choice.delta as Record<string, unknown> | null | undefined;
  if (typeof delta !== 'object' || delta === null) return undefined;
  if (!(absent(delta.content) || delta.content === '') || !absent(delta.reasoning_content) || !absent(delta.reasoning)) return undefined;
  const calls = delta.tool_calls;
  if (!Array.isArray(calls) || calls.length !== 1) return undefined;
  const call = calls[0] as Record<string, unknown> | null;
  if (typeof call !== 'object' || call === null || typeof call.index !== 'number' || !(absent(call.id) || call.id === '')) return undefined;
  const fn = call.function as Record<string, unknown> | null | undefined;
  if (typeof fn !== 'object' || fn === null || !(absent(fn.name) || fn.name === '') || typeof fn.arguments !== 'string') return undefined;
  return { index: call.index, text: fn.arguments };
}
