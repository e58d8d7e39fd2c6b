// The text the simulator answers with. It has to read well in a chat (someone trying the extension
// without a key sees it), prove the request was understood (counts of what arrived), and exercise
// the renderer: a Markdown paragraph, a list, a fenced code block, then filler up to the length asked.

import type { ReceivedImage } from './images';
import type { Scenario } from './scenarios';

/** What the simulator understood of a request; the answer repeats it back. */
export interface RequestSummary {
  readonly model: string;
  readonly messageCount: number;
  readonly lastPromptChars: number;
  readonly images: readonly ReceivedImage[];
}

export function summarize(
  model: string,
  messageCount: number,
  lastPromptChars: number,
  images: readonly { readonly image: ReceivedImage }[],
): RequestSummary {
  return { model, messageCount, lastPromptChars, images: images.map((i) => i.image) };
}

export interface Answer {
  /** The pieces streamed one per chunk; joined they are the whole answer. */
  readonly tokens: readonly string[];
  /** Reported as `usage.completion_tokens`. */
  readonly completionTokens: number;
}

/** Streamed pieces never exceed this, so a 1 MB line still arrives in many chunks. */
const MAX_PIECE_CHARS = 16 * 1024;
const BIG_ANSWER_CHARS = 5 * 1024 * 1024;
const HOSTILE_LINE_CHARS = 1024 * 1024;

export function buildAnswer(summary: RequestSummary, tokenCount: number, scenario: Scenario): Answer {
  if (scenario === 'big') return bigAnswer(summary);
  if (scenario === 'hostile') return hostileAnswer(summary);
  const tokens = normalTokens(summary, tokenCount);
  if (scenario === 'stray-eos') tokens.push('</s>');
  return { tokens, completionTokens: tokens.length };
}

/** "Simulator answer from `m`: 3 messages; your last prompt had 42 characters; 1 image (…)." */
export function describeRequest(summary: RequestSummary): string {
  const messages = plural(summary.messageCount, 'message');
  const images = summary.images.length
    ? `${plural(summary.images.length, 'image')} (${summary.images.map(describeImage).join('; ')})`
    : 'no image';
  return (
    `Simulator answer from \`${summary.model}\`: ${messages}; ` +
    `your last prompt had ${groupDigits(summary.lastPromptChars)} characters; ${images}.`
  );
}

export function describeImage(image: ReceivedImage): string {
  if (image.source === 'url') return `remote URL ${image.url ?? ''}, not fetched`;
  const parts: string[] = [image.declaredMime];
  if (image.sniffedMime && image.sniffedMime !== image.declaredMime) {
    parts[0] = `declared ${image.declaredMime} but the bytes are ${image.sniffedMime}`;
  } else if (!image.sniffedMime) {
    parts.push('unrecognised bytes');
  }
  parts.push(`${groupDigits(image.bytes)} bytes`);
  if (image.width !== undefined && image.height !== undefined) parts.push(`${image.width}×${image.height}`);
  return parts.join(', ');
}

/** Exactly `count` tokens: the structured answer, cut short or padded with filler. */
function normalTokens(summary: RequestSummary, count: number): string[] {
  const tokens = tokenize(`${describeRequest(summary)}\n\n${markdownBody(summary)}\n\n`);
  if (tokens.length >= count) return trimEnd(tokens.slice(0, count));
  appendFiller(tokens, count);
  return tokens;
}

/** Short enough that, with the default 60 tokens, the whole code block arrives before any filler. */
function markdownBody(summary: RequestSummary): string {
  const received = `{ model: ${JSON.stringify(summary.model)}, messages: ${summary.messageCount}, images: ${summary.images.length} }`;
  return [
    'This is the **provider simulator**: no model ran. Markdown renders as it streams: ' +
      '`inline code`, *emphasis* and a [link](https://code.visualstudio.com/api).',
    '',
    '```ts',
    `const received = ${received};`,
    '```',
  ].join('\n');
}

const FILLER_SENTENCES = [
  'Filler words pad this answer to the requested length.',
  'Each word arrives as its own streamed chunk.',
  'Long answers let you test scrolling, stopping and copying.',
  'Run the simulator with --tokens N for longer or shorter answers.',
];

/** One cycle of filler tokens (20 sentences, a paragraph break every 5), built once: long answers reuse it. */
const FILLER_CYCLE: readonly string[] = (() => {
  const tokens: string[] = [];
  for (let sentence = 1; sentence <= 20; sentence += 1) {
    const words = FILLER_SENTENCES[(sentence - 1) % FILLER_SENTENCES.length].split(' ');
    words.forEach((word, i) => tokens.push(word + (i < words.length - 1 ? ' ' : sentence % 5 === 0 ? '\n\n' : ' ')));
  }
  return tokens;
})();

/** Appends filler until `tokens` holds `count`. */
function appendFiller(tokens: string[], count: number): void {
  for (let i = 0; tokens.length < count; i += 1) tokens.push(FILLER_CYCLE[i % FILLER_CYCLE.length]);
  const last = tokens.length - 1;
  tokens[last] = tokens[last].trimEnd();
}

function bigAnswer(summary: RequestSummary): Answer {
  const paragraph = `${FILLER_SENTENCES.join(' ')} `.repeat(20).trimEnd();
  const tokens = [`${describeRequest(summary)} This is the big answer: about 5 MB of text.\n\n`];
  let chars = tokens[0].length;
  for (let n = 1; chars < BIG_ANSWER_CHARS; n += 1) {
    const piece = `Paragraph ${n}. ${paragraph}\n\n`;
    tokens.push(piece);
    chars += piece.length;
  }
  return { tokens, completionTokens: Math.ceil(chars / 4) };
}

/** Everything a renderer must neutralise; none of it may run in the webview. */
export function hostileMarkdown(): string {
  const line = 'x'.repeat(HOSTILE_LINE_CHARS);
  return [
    'Hostile payload follows. None of it may run, and the long line must not freeze the chat.',
    '',
    '<script>window.__pwned=1</script>',
    '',
    '<img src=x onerror="window.__pwned=1">',
    '',
    '[click](javascript:window.__pwned=1)',
    '',
    '```html',
    '<script>window.__pwned=1</script>',
    '```',
    '',
    line,
  ].join('\n');
}

function hostileAnswer(summary: RequestSummary): Answer {
  const text = `${describeRequest(summary)}\n\n${hostileMarkdown()}`;
  return { tokens: tokenize(text), completionTokens: Math.ceil(text.length / 4) };
}

/** Splits text into tokens: a word plus the whitespace after it; very long words are split further. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const leading = /^\s+/.exec(text);
  if (leading) tokens.push(leading[0]);
  for (const match of text.matchAll(/\S+\s*/g)) {
    const word = match[0];
    for (let i = 0; i < word.length; i += MAX_PIECE_CHARS) tokens.push(word.slice(i, i + MAX_PIECE_CHARS));
  }
  return tokens;
}

function trimEnd(tokens: string[]): string[] {
  if (tokens.length) tokens[tokens.length - 1] = tokens[tokens.length - 1].trimEnd();
  return tokens;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** 12345 → "12 345", as the answer reads better with grouped digits. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
