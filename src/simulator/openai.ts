// DeepInfra's OpenAI-compatible API and a plain OpenAI-compatible server (Ollama, vLLM, llama.cpp
// and LM Studio speak the same protocol). Both stream server-sent events; DeepInfra also reports
// `estimated_cost`, wants a Bearer key and spreads its errors over four body shapes.

import type { OutgoingHttpHeaders } from 'node:http';
import { buildAnswer, summarize, tokenize } from './answers';
import { editAnswer } from './edits';
import { roundMoney, type SimContext } from './context';
import { deepinfraErrorBody, deepinfraShapeFor, defaultMessage, isErrorShape, type SimError } from './errors';
import type { Exchange } from './exchange';
import { estimatePromptTokens, parseChatBody } from './messages';
import { endingOf, scenarioStatus, SLOW_NON_STREAMING_DELAY_MS } from './scenarios';
import { streamSse, streamToolCalls, type SseToolCall } from './sse';
import { planToolCalls, preamble, resultAnswer, type PlannedCall } from './tools';
import { deepinfraListing, DEEPINFRA_CHAT_MODELS, OLLAMA_MODELS, ollamaListing, ollamaShow, type ListedDeepInfraModel } from './listings';
import { checkImages, type ModelTraits } from './vision';
import { reasoningStyle, reasoningTokens } from './reasoning';

export type ChatFlavor = 'deepinfra' | 'openai';

/** The DeepInfra chat models its listing shows (the four the extension ships with among them), with prices. */
export const DEEPINFRA_MODELS = DEEPINFRA_CHAT_MODELS;

/** The OpenAI-compatible server plays Ollama: it lists these; it accepts any other id too, as a lenient local server would. */
export const OPENAI_MODELS = Object.keys(OLLAMA_MODELS);

function openaiTraits(model: string): ModelTraits {
  const listed = OLLAMA_MODELS[model];
  return { vision: listed ? listed.capabilities.includes('vision') : model !== 'sim-text' };
}

export async function handleChatCompletions(ex: Exchange, ctx: SimContext, flavor: ChatFlavor): Promise<void> {
  if (ex.req.method !== 'POST') return sendError(ex, { status: 405, message: 'Use POST for /chat/completions.' });
  const raw = await ex.readBody();
  if (raw === 'aborted') return;
  if (raw === 'too-large') return sendError(ex, { status: 413, message: defaultMessage(413) });
  if (flavor === 'deepinfra' && !bearerIsValid(ex, ctx)) {
    return sendError(ex, { status: 401, message: 'Invalid or missing API key: send Authorization: Bearer <key>.' });
  }
  ex.rec.authorized = true;

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(ex, { status: 400, message: 'The body is not valid JSON.' });
  }
  const parsed = parseChatBody(body);
  if (!parsed.ok) return sendError(ex, { status: 422, message: parsed.problem.message, loc: parsed.problem.loc });
  const chat = parsed.chat;
  ex.recordChat(chat);
  const model = chat.model;
  if (!model) return sendError(ex, { status: 422, message: 'model is required.', loc: ['body', 'model'] });
  const deepinfraModel = DEEPINFRA_MODELS[model];
  if (flavor === 'deepinfra' && !deepinfraModel) {
    return sendError(ex, { status: 404, message: `The model \`${model}\` does not exist.` });
  }

  const scenario = ctx.takeScenario(ex);
  ex.scenario = scenario;
  const status = scenarioStatus(scenario);
  if (status !== undefined) {
    // DeepInfra (and this OpenAI-compatible server) say "out of balance" with 402, not Segmind's 406.
    const answered = status === 406 ? 402 : status;
    const headers: OutgoingHttpHeaders = scenario === 'status-429-retry-after' ? { 'retry-after': '1' } : {};
    return sendError(ex, { status: answered, message: defaultMessage(answered) }, headers);
  }
  if (scenario === 'hang') return ex.announce();

  const imageProblem = checkImages(model, deepinfraModel ?? openaiTraits(model), chat.images);
  if (imageProblem) return sendError(ex, { status: 422, ...imageProblem });

  const calls =
    chat.toolResults.length === 0 && chat.roles.at(-1) === 'user' && chat.toolChoice !== 'none'
      ? planToolCalls(chat.tools, chat.lastUserText, chat.toolChoice === 'required' || chat.toolChoice === 'function')
      : [];
  if (calls.length) return answerWithToolCalls(ex, ctx, { model, calls, promptChars: chat.promptChars, stream: chat.stream, priced: flavor === 'deepinfra' ? deepinfraModel : undefined });
  const edit = editAnswer(chat.userTexts);
  const answer = chat.toolResults.length
    ? textAnswer(resultAnswer(model, chat.toolResults))
    : edit !== undefined && scenario === 'ok'
      ? textAnswer(edit)
      : buildAnswer(summarize(model, chat.messageCount, chat.lastPromptChars, chat.images), ctx.answerTokens(ex), scenario);
  // A reasoning model thinks first (and bills for it, as the real ones do).
  const style = reasoningStyle(model, flavor);
  const thoughts = style ? reasoningTokens(chat.userTexts.length, chat.lastPromptChars, chat.images.length) : [];
  const answerTokens = style === 'think-tags' ? ['<think>\n', ...thoughts, '\n</think>\n\n', ...answer.tokens] : answer.tokens;
  const completionTokens = answer.completionTokens + thoughts.length;
  const promptTokens = estimatePromptTokens(chat.promptChars, chat.images.length);
  const usage: Record<string, number> = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (flavor === 'deepinfra' && deepinfraModel) {
    usage.estimated_cost = roundMoney(
      (promptTokens * deepinfraModel.inputPrice + completionTokens * deepinfraModel.outputPrice) / 1e6,
    );
  }
  const id = `chatcmpl-sim-${ex.rec.id}`;
  const created = Math.floor(Date.now() / 1000);
  const rate = ctx.tokensPerSecond(ex);
  if (chat.stream) {
    const reasoning = style && style !== 'think-tags' ? { field: style, tokens: thoughts } : undefined;
    return streamSse(ex, { id, model, created, tokens: answerTokens, reasoning, usage, ending: endingOf(scenario), tokensPerSecond: rate });
  }

  ex.announce();
  const waitMs = scenario === 'slow' ? SLOW_NON_STREAMING_DELAY_MS : rate > 0 ? (answerTokens.length * 1000) / rate : 0;
  if (waitMs > 0 && !(await ex.delay(waitMs))) return;
  ex.rec.tokensSent = answerTokens.length;
  const message: Record<string, string> = { role: 'assistant', content: answerTokens.join('') };
  if (style && style !== 'think-tags') message[style] = thoughts.join('');
  const completion = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, finish_reason: 'stop' }],
    usage,
  };
  ex.deliverBody(JSON.stringify(completion), { 'content-type': 'application/json' }, endingOf(scenario));
}

function textAnswer(text: string): { tokens: string[]; completionTokens: number } {
  const tokens = tokenize(text);
  return { tokens, completionTokens: tokens.length };
}

interface ToolAnswer {
  readonly model: string;
  readonly calls: readonly PlannedCall[];
  readonly promptChars: number;
  readonly stream: boolean;
  readonly priced?: ListedDeepInfraModel;
}

/**
 * The model calls tools: a sentence first, then the calls, streamed as OpenAI does (id and name on
 * a call's first fragment, the arguments in small pieces), finishing with `tool_calls` (or `stop`,
 * as some servers do, under `tool-finish-stop`). `tool-malformed-args` cuts the arguments' last brace.
 */
function answerWithToolCalls(ex: Exchange, ctx: SimContext, a: ToolAnswer): void {
  const scenario = ex.scenario;
  const calls: SseToolCall[] = a.calls.map((c, i) => {
    const text = JSON.stringify(c.arguments);
    return { id: `call_sim${ex.rec.id}_${i}`, name: c.name, arguments: scenario === 'tool-malformed-args' ? text.slice(0, -1) : text };
  });
  ex.rec.toolCallsSent = calls.map((c) => c.name);
  const said = preamble(a.calls);
  const promptTokens = estimatePromptTokens(a.promptChars, 0);
  const completionTokens = Math.ceil((said.length + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0)) / 4);
  const usage: Record<string, number> = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (a.priced) usage.estimated_cost = roundMoney((promptTokens * a.priced.inputPrice + completionTokens * a.priced.outputPrice) / 1e6);
  const id = `chatcmpl-sim-${ex.rec.id}`;
  const created = Math.floor(Date.now() / 1000);
  const finishReason = scenario === 'tool-finish-stop' ? 'stop' : 'tool_calls';
  if (a.stream) {
    return streamToolCalls(ex, { id, model: a.model, created, text: tokenize(said), calls, finishReason, usage, ending: endingOf(scenario), tokensPerSecond: ctx.tokensPerSecond(ex) });
  }
  ex.announce();
  const message = {
    role: 'assistant',
    content: said,
    tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
  };
  const completion = { id, object: 'chat.completion', created, model: a.model, choices: [{ index: 0, message, finish_reason: finishReason }], usage };
  ex.deliverBody(JSON.stringify(completion), { 'content-type': 'application/json' }, endingOf(scenario));
}

/** `GET /models`: DeepInfra answers without a key (so it cannot validate one), like the real service. */
export async function handleModels(ex: Exchange, ctx: SimContext, flavor: ChatFlavor): Promise<void> {
  if (ex.req.method !== 'GET') return sendError(ex, { status: 405, message: 'Use GET for /models.' });
  ex.rec.authorized = true;
  if (await utilityScenarioAnswered(ex, ctx)) return;
  if (ctx.listingsDown()) return sendError(ex, { status: 503, message: 'Service Unavailable' });
  ex.sendJson(200, flavor === 'deepinfra' ? deepinfraListing() : ollamaListing());
}

/** Ollama's `POST /api/show {"model"}`: capabilities, the context it runs with, the trained length. */
export async function handleOllamaShow(ex: Exchange, ctx: SimContext): Promise<void> {
  if (ex.req.method !== 'POST') return sendError(ex, { status: 405, message: 'Use POST for /api/show.' });
  const raw = await ex.readBody();
  if (raw === 'aborted') return;
  if (raw === 'too-large') return sendError(ex, { status: 413, message: defaultMessage(413) });
  ex.rec.authorized = true;
  if (ctx.listingsDown()) return sendError(ex, { status: 503, message: 'Service Unavailable' });
  let model: unknown;
  try {
    model = (JSON.parse(raw.toString('utf8')) as { model?: unknown }).model;
  } catch {
    return sendError(ex, { status: 400, message: 'The body is not valid JSON.' });
  }
  const details = typeof model === 'string' ? ollamaShow(model) : undefined;
  if (!details) return ex.sendJson(404, { error: `model '${String(model)}' not found` });
  ex.sendJson(200, details);
}

/** DeepInfra's `GET /v1/me`: needs the key, so it can validate one. */
export async function handleMe(ex: Exchange, ctx: SimContext): Promise<void> {
  if (ex.req.method !== 'GET') return sendError(ex, { status: 405, message: 'Use GET for /v1/me.' });
  if (!bearerIsValid(ex, ctx)) {
    return sendError(ex, { status: 401, message: 'Invalid or missing API key: send Authorization: Bearer <key>.' });
  }
  ex.rec.authorized = true;
  if (await utilityScenarioAnswered(ex, ctx)) return;
  ex.sendJson(200, { uid: 'sim-user', email: 'simulator@example.invalid', display_name: 'Provider Simulator' });
}

/** Endpoints other than chat honour `x-sim-scenario` (status codes, hang, slow) but never consume the queue. */
async function utilityScenarioAnswered(ex: Exchange, ctx: SimContext): Promise<boolean> {
  const scenario = ctx.headerScenario(ex) ?? 'ok';
  ex.scenario = scenario;
  const status = scenarioStatus(scenario);
  if (status !== undefined) {
    sendError(ex, { status, message: defaultMessage(status) });
    return true;
  }
  if (scenario === 'hang') {
    ex.announce();
    return true;
  }
  if (scenario === 'slow') return !(await ex.delay(SLOW_NON_STREAMING_DELAY_MS));
  return false;
}

function bearerIsValid(ex: Exchange, ctx: SimContext): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(ex.header('authorization') ?? '');
  return match !== null && match[1].trim() === ctx.validKey;
}

function sendError(ex: Exchange, error: SimError, headers: OutgoingHttpHeaders = {}): void {
  const requested = ex.header('x-sim-error-shape');
  const shape = isErrorShape(requested) ? requested : deepinfraShapeFor(error.status);
  ex.sendJson(error.status, deepinfraErrorBody(error, shape), headers);
}
