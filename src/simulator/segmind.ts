// Segmind's API: one JSON answer per request (no streaming), `x-api-key`, a credit balance carried
// on every response, `{"error": "..."}` errors, and LLaVA's `{images, prompt}` body.

import type { OutgoingHttpHeaders } from 'node:http';
import { buildAnswer, summarize, tokenize } from './answers';
import { editAnswer } from './edits';
import { roundMoney, type SimContext } from './context';
import { defaultMessage, segmindErrorBody, type SimError } from './errors';
import type { Exchange } from './exchange';
import { readLooseImage } from './images';
import { estimatePromptTokens, isObject, parseChatBody, type LocatedImage } from './messages';
import { endingOf, scenarioStatus, SLOW_NON_STREAMING_DELAY_MS } from './scenarios';
import { SEGMIND_RETIRED } from './listings';
import { checkImages, LLAMA_VISION_MAX_SIDE, type ModelTraits } from './vision';
import { planToolCalls, promptedAnswer, resultAnswer, type PromptedShape } from './tools';
import type { Scenario } from './scenarios';

interface SegmindModel extends ModelTraits {
  readonly protocol: 'chat' | 'llava';
}

export const SEGMIND_MODELS: Readonly<Record<string, SegmindModel>> = {
  'llama-v3-8b-instruct': { protocol: 'chat', vision: false },
  'llama-v3p2-90b-vision-instruct': { protocol: 'chat', vision: true, maxImageSide: LLAMA_VISION_MAX_SIDE },
  'llava-v1.6': { protocol: 'llava', vision: true },
};

/** Free credits `get-user-credits` reports next to the balance, as in Segmind's documented example. */
export const SEGMIND_FREE_CREDITS = 0.0184921035;

/** What one answer costs: a small fee per call plus a little per token. */
export function segmindCharge(promptTokens: number, completionTokens: number): number {
  return roundMoney(0.001 + (promptTokens + completionTokens) * 0.000002);
}

/** `rest` is the path after `/segmind/v1/`. */
export async function handleSegmind(ex: Exchange, ctx: SimContext, rest: string): Promise<void> {
  if (rest === 'get-user-credits') return handleCredits(ex, ctx);
  const slug = rest;
  ex.rec.model = slug;
  const model = SEGMIND_MODELS[slug];
  if (SEGMIND_RETIRED.has(slug)) return sendError(ex, ctx, { status: 410, message: `The model ${slug} has been deprecated and is no longer available.` });
  if (!model) return sendError(ex, ctx, { status: 404, message: `Model not found: no Segmind API at /${slug}.` });
  if (ex.req.method !== 'POST') return sendError(ex, ctx, { status: 405, message: `Use POST for /${slug}.` });

  const raw = await ex.readBody();
  if (raw === 'aborted') return;
  if (raw === 'too-large') return sendError(ex, ctx, { status: 413, message: defaultMessage(413) });
  if (!keyIsValid(ex, ctx)) return sendError(ex, ctx, { status: 401, message: 'Invalid or missing x-api-key header.' });
  ex.rec.authorized = true;

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(ex, ctx, { status: 400, message: 'The body is not valid JSON.' });
  }
  const parsed = model.protocol === 'llava' ? parseLlavaBody(body) : parseChatBody(body);
  if (!parsed.ok) return sendError(ex, ctx, { status: 422, message: parsed.problem.message, loc: parsed.problem.loc });
  const chat = parsed.chat;
  ex.recordChat(chat);

  const scenario = ctx.takeScenario(ex);
  ex.scenario = scenario;
  const status = scenarioStatus(scenario);
  if (status !== undefined) {
    const headers: OutgoingHttpHeaders = scenario === 'status-429-retry-after' ? { 'retry-after': '1' } : {};
    return sendError(ex, ctx, { status, message: defaultMessage(status) }, headers);
  }
  if (scenario === 'hang') return ex.announce();

  const imageProblem = checkImages(slug, model, chat.images);
  if (imageProblem) return sendError(ex, ctx, { status: 422, message: imageProblem.message });
  if (ctx.balance() <= 0) return sendError(ex, ctx, { status: 406, message: defaultMessage(406) });

  // Segmind takes no `tools`: a Llama JSON tool prompt in the system message offers them.
  const calls = chat.toolsPrompted && chat.toolResults.length === 0 && chat.roles.at(-1) === 'user' ? planToolCalls(chat.tools, chat.lastUserText) : [];
  ex.rec.toolCallsSent = calls.map((c) => c.name);
  const edit = editAnswer(chat.userTexts);
  const answer = calls.length
    ? { tokens: tokenize(promptedAnswer(calls, promptedShape(scenario))), completionTokens: 0 }
    : chat.toolResults.length
      ? { tokens: tokenize(resultAnswer(slug, chat.toolResults)), completionTokens: 0 }
      : edit !== undefined && scenario === 'ok'
        ? { tokens: tokenize(edit), completionTokens: 0 }
        : buildAnswer(summarize(slug, chat.messageCount, chat.lastPromptChars, chat.images), ctx.answerTokens(ex), scenario);
  ex.announce();
  // Segmind never streams: the whole answer comes after the model is done, so "generation" is a wait.
  const rate = ctx.tokensPerSecond(ex);
  const waitMs = scenario === 'slow' ? SLOW_NON_STREAMING_DELAY_MS : rate > 0 ? (answer.tokens.length * 1000) / rate : 0;
  if (waitMs > 0 && !(await ex.delay(waitMs))) return;

  const text = answer.tokens.join('');
  const promptTokens = estimatePromptTokens(chat.promptChars, chat.images.length);
  const completionTokens = answer.completionTokens || Math.ceil(text.length / 4);
  const consumed = segmindCharge(promptTokens, completionTokens);
  const remaining = ctx.charge(consumed);
  ex.rec.tokensSent = answer.tokens.length;
  const headers: OutgoingHttpHeaders = {
    'x-remaining-credits': String(remaining),
    'x-credits-consumed': String(consumed),
  };
  if (model.protocol === 'llava') {
    if (ex.header('x-sim-llava-format') === 'json') {
      return ex.deliverBody(JSON.stringify({ output: text }), { ...headers, 'content-type': 'application/json' }, endingOf(scenario));
    }
    return ex.deliverBody(text, { ...headers, 'content-type': 'text/plain; charset=utf-8' }, endingOf(scenario));
  }
  const completion = {
    id: `chatcmpl-sim-${ex.rec.id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: slug,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
  ex.deliverBody(JSON.stringify(completion), { ...headers, 'content-type': 'application/json' }, endingOf(scenario));
}

async function handleCredits(ex: Exchange, ctx: SimContext): Promise<void> {
  if (ex.req.method !== 'GET') return sendError(ex, ctx, { status: 405, message: 'Use GET for /get-user-credits.' });
  ex.rec.model = undefined;
  if (!keyIsValid(ex, ctx)) return sendError(ex, ctx, { status: 401, message: 'Invalid or missing x-api-key header.' });
  ex.rec.authorized = true;
  // This endpoint does not consume the scenario queue; the header still applies, so key checks can be tested.
  const scenario = ctx.headerScenario(ex) ?? 'ok';
  ex.scenario = scenario;
  const status = scenarioStatus(scenario);
  if (status !== undefined) return sendError(ex, ctx, { status, message: defaultMessage(status) });
  if (scenario === 'hang') return ex.announce();
  if (scenario === 'slow' && !(await ex.delay(SLOW_NON_STREAMING_DELAY_MS))) return;
  ex.sendJson(200, { credits: ctx.balance(), 'free-credits': SEGMIND_FREE_CREDITS }, { 'x-remaining-credits': String(ctx.balance()) });
}

/** LLaVA's body: `{"images": "<base64 or URL>" (or a list of them), "prompt": "..."}`. */
function parseLlavaBody(body: unknown): ReturnType<typeof parseChatBody> {
  if (!isObject(body)) return { ok: false, problem: { loc: ['body'], message: 'The body must be a JSON object.' } };
  const rawImages = Array.isArray(body.images) ? body.images : [body.images];
  if (!rawImages.length || !rawImages.every((i): i is string => typeof i === 'string' && i.trim() !== '')) {
    return { ok: false, problem: { loc: ['body', 'images'], message: 'images is required: a base64 string or an image URL.' } };
  }
  if (typeof body.prompt !== 'string') {
    return { ok: false, problem: { loc: ['body', 'prompt'], message: 'prompt is required.' } };
  }
  const images: LocatedImage[] = rawImages.map((value, i) => ({ image: readLooseImage(value), loc: ['body', 'images', i] }));
  return {
    ok: true,
    chat: {
      stream: false,
      messageCount: 1,
      promptChars: body.prompt.length,
      lastPromptChars: body.prompt.length,
      roles: ['user'],
      images,
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : undefined,
      temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
      tools: [],
      toolsPrompted: false,
      lastUserText: body.prompt,
      userTexts: [body.prompt],
      toolResults: [],
      assistantTexts: [],
      reasoningFields: 0,
    },
  };
}

function keyIsValid(ex: Exchange, ctx: SimContext): boolean {
  return ex.header('x-api-key') === ctx.validKey;
}

/** Every Segmind response, errors included, carries the balance. */
function sendError(ex: Exchange, ctx: SimContext, error: SimError, headers: OutgoingHttpHeaders = {}): void {
  ex.sendJson(error.status, segmindErrorBody(error), { ...headers, 'x-remaining-credits': String(ctx.balance()) });
}

/** How Llama writes a prompted call under each scenario (plain JSON unless asked otherwise). */
function promptedShape(scenario: Scenario): PromptedShape {
  switch (scenario) {
    case 'tool-python-tag':
      return 'python-tag';
    case 'tool-fenced':
      return 'fenced';
    case 'tool-prose':
      return 'prose';
    default:
      return 'plain';
  }
}
