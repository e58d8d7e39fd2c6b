// Our catalog as a VS Code Language Model Chat Provider: the models appear in Copilot Chat's model
// picker ("Manage Models…" → Open Vision Chat) and every extension can reach them through
// `vscode.lm.selectChatModels({ vendor: 'visionChat' })`. Requests run on the same provider core,
// keys and credits reporter as the chat panel.

import * as vscode from 'vscode';
import { isProviderError } from '../../core/errors';
import { errorText, retryReasonText } from '../errorWords';
import { convertLmMessages, describeLmParts, lmChatOptions, lmMessageImages, lmMessageText, type LmMessageLike } from './conversion';
import {
  TOKENS_PER_MESSAGE,
  checkContext,
  estimateImageTokens,
  estimateTextTokens,
  formatCount,
  lmTokenLimits,
  modelFamily,
} from '../tokens';
import { providerName } from '../../core/providerTable';
import type { ChatRequest, ModelInfo } from '../../core/types';
import { providerNeedsKey } from '../keys';
import { priceText } from '../models';
import { formatUsd } from '../creditsLedger';
import type { Services } from '../services';
import { showInfo } from '../notifications';

export const LM_VENDOR = 'visionChat';

export class VisionChatModelProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Set by `offerModels()`: the silent question that follows is answered without reading listings. */
  private quietNextSilentInfo = false;

  constructor(private readonly services: Services) {
    // A new or removed key adds or removes that provider's models; settings change the custom
    // models, base URLs and the answer length (and so `maxInputTokens`).
    // A listing read (or failed) changes which models there are.
    this.subscriptions = [
      this.changed,
      services.keys.onDidChange(() => this.changed.fire()),
      services.settings.onDidChange(() => this.changed.fire()),
      services.onDidChangeCatalog(() => this.changed.fire()),
    ];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  /**
   * VS Code asks a provider for its models only after the provider's change event, or when a person
   * opens Manage Models…; until then a new window's Chat picker lacks ours. Called once after
   * start-up: VS Code's silent question that follows is answered from the stored listings, and
   * reading fresh ones waits for a real need (a request, Manage Models…, the panel's picker).
   */
  offerModels(): void {
    this.quietNextSilentInfo = true;
    this.changed.fire();
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, _token: vscode.CancellationToken): Promise<vscode.LanguageModelChatInformation[]> {
    // VS Code asks after our change event, or when the Language Models editor opens: the stored
    // listings count now, and stale ones are read in the background (the change event follows),
    // except for the question that follows start-up.
    await this.services.loadStoredCatalogs();
    const quiet = this.quietNextSilentInfo && options.silent;
    if (options.silent) this.quietNextSilentInfo = false;
    if (!quiet) void this.services.refreshCatalogs();
    let models = await this.usableModels();
    const hasHostedKey = models.some((m) => providerNeedsKey(m.provider));
    if (!hasHostedKey && !options.silent) {
      // Asked from a user action (Manage Models…): offer the key rather than an empty list.
      const setKey = 'Set API Key…';
      const choice = await showInfo(
        'Open Vision Chat needs a Segmind or DeepInfra API key to offer its hosted models (Llama 3, Llama 3.2 Vision, LLaVA).',
        { modal: true },
        setKey,
      );
      if (choice === setKey && (await this.services.setApiKey())) models = await this.usableModels();
    }
    const { maxTokens, promptedTools } = this.services.settings;
    return models.map((model) => describeModel(withToolSetting(model, promptedTools), maxTokens));
  }

  async provideLanguageModelChatResponse(
    info: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const { log, settings } = this.services;
    const listed = this.services.catalog().get(info.id);
    const model = listed && withToolSetting(listed, settings.promptedTools);
    if (!model) {
      throw vscode.LanguageModelError.NotFound(`Open Vision Chat no longer offers “${info.name}”. Its OpenAI-compatible model may have been removed from the settings; pick another model.`);
    }

    let request: ChatRequest;
    try {
      // What the caller just added (an attachment that went missing shows here first).
      const last = messages.at(-1);
      if (last) log.info(`[lm] ${model.id}: the last message holds ${describeLmParts(last as LmMessageLike) || 'nothing'}`);
      const converted = convertLmMessages(messages as readonly LmMessageLike[], model);
      for (const note of converted.notes) log.info(`[lm] ${model.id}: ${note}`);
      if (!converted.messages.some((m) => m.role === 'user')) {
        throw new Error('The request has no user message with text or an image, so there is nothing to send.');
      }
      // No system prompt of ours: the caller owns the conversation (the panel's system prompt is for the panel).
      request = {
        model,
        messages: converted.messages,
        options: lmChatOptions(options.modelOptions, { maxTokens: settings.maxTokens, temperature: settings.temperature }, model),
        ...lmTools(options, model, (note) => log.info(`[lm] ${model.id}: ${note}`)),
      };
    } catch (e) {
      throw asError(e);
    }

    const check = checkContext(request);
    if (!check.fits) {
      log.warn(`[lm] ${model.id}: ${check.message}`);
      throw new Error(check.message);
    }

    // Past visionChat.spendLimitPerDay the user is asked, as in the chat view.
    if (!(await this.services.confirmLanguageModelSpend(model, () => check.estimatedTokens))) {
      const limit = formatUsd(settings.spendLimitPerDay ?? 0);
      log.info(`[lm] ${model.id}: not sent, past the spend limit per day`);
      throw new Error(
        `Open Vision Chat did not send this: it would pass your spend limit of ${limit} a day. Send it again and choose Send Anyway, or raise visionChat.spendLimitPerDay.`,
      );
    }
    if (token.isCancellationRequested) return;

    const abort = new AbortController();
    const cancellation = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    const started = Date.now();
    let parts = 0;
    log.info(`[lm] ${model.id}: ${request.messages.length} message(s), ~${formatCount(check.estimatedTokens)} tokens`);
    try {
      const provider = await this.services.providerFor(model);
      for await (const event of provider.stream(request, abort.signal)) {
        switch (event.type) {
          case 'delta':
            if (event.text) {
              parts++;
              progress.report(new vscode.LanguageModelTextPart(event.text));
            }
            break;
          case 'toolCall':
            parts++;
            log.info(`[lm] ${model.id}: tool call ${event.call.name} (${event.call.id})`);
            progress.report(new vscode.LanguageModelToolCallPart(event.call.id, event.call.name, event.call.arguments));
            break;
          case 'usage':
          case 'credits':
            this.services.credits.report(model.provider, event);
            break;
          case 'retry':
            log.info(`[lm] ${model.id}: retry ${event.attempt} in ${event.delayMs} ms (${retryReasonText(event.reason)})`);
            break;
          case 'reasoning':
            // Dropped: `LanguageModelThinkingPart` is a proposed API (not in @types/vscode 1.138),
            // which a published extension may not use, and a text part would make the thinking part
            // of the answer, which the caller sends back to the model in its next request.
            break;
          case 'waiting':
          case 'end':
            break;
        }
      }
      log.info(`[lm] ${model.id}: ${abort.signal.aborted ? 'cancelled' : 'done'} after ${Date.now() - started} ms, ${parts} part(s)`);
    } catch (e) {
      if (abort.signal.aborted) return; // The caller cancelled: not an error for them.
      log.warn(`[lm] ${model.id}: ${e instanceof Error ? e.message : String(e)}`);
      throw asError(e);
    } finally {
      cancellation.dispose();
    }
  }

  async provideTokenCount(info: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage, _token: vscode.CancellationToken): Promise<number> {
    if (typeof text === 'string') return estimateTextTokens(text);
    const model = this.services.catalog().get(info.id);
    const message = text as LmMessageLike;
    let tokens = TOKENS_PER_MESSAGE + estimateTextTokens(lmMessageText(message));
    if (model) for (const image of lmMessageImages(message)) tokens += estimateImageTokens(image, model);
    return tokens;
  }

  /** Every catalog model whose provider has a key; the OpenAI-compatible server's models need none. */
  private async usableModels(): Promise<ModelInfo[]> {
    const all = this.services.catalog().all;
    const providers = [...new Set(all.map((m) => m.provider))];
    const keyed = new Set<string>();
    await Promise.all(
      providers.map(async (p) => {
        if (!providerNeedsKey(p) || (await this.services.keys.get(p)).key) keyed.add(p);
      }),
    );
    return all.filter((m) => keyed.has(m.provider) && !m.retired);
  }
}

export function describeModel(model: ModelInfo, maxTokens: number): vscode.LanguageModelChatInformation {
  const provider = providerName(model.provider);
  const family = modelFamily(model);
  const sees = model.vision
    ? `Takes ${model.maxImages === 1 ? 'one image' : `up to ${model.maxImages} images`}${model.maxImageSide ? ` of at most ${model.maxImageSide} px a side` : ''} per request.`
    : 'Text only.';
  return {
    id: model.id,
    // The Language Models editor lists names alone: two providers serve the same Llama.
    name: `${model.displayName} · ${provider}`,
    family: family === 'other' ? model.providerModelId : family,
    version: model.providerModelId,
    detail: provider,
    tooltip: `${model.displayName} on ${provider} (${model.providerModelId}). ${formatCount(model.contextLength)}-token context. ${sees}${model.pricing ? ` ${priceText(model.pricing)}.` : ''}`,
    // Their sum is the Context Size VS Code shows: the model's window, not more.
    ...lmTokenLimits(model, maxTokens),
    // VS Code keeps a model in Agent mode's picker only when it calls tools; a number is its limit.
    capabilities: { imageInput: model.vision, toolCalling: model.tools ? (model.maxTools ?? true) : false },
  };
}

/** The model as offered: without tools when it calls them by prompt and the user turned that off. */
export function withToolSetting(model: ModelInfo, promptedTools: boolean): ModelInfo {
  if (model.tools !== 'prompted' || promptedTools) return model;
  const { tools: _tools, maxTools: _max, ...rest } = model;
  return rest;
}

/**
 * The caller's tools and tool mode, for a model that calls tools. A model that cannot gets none
 * (noted in the log), unless the caller requires a call: that is an error it must hear.
 */
function lmTools(options: vscode.ProvideLanguageModelChatResponseOptions, model: ModelInfo, note: (text: string) => void): Pick<ChatRequest, 'tools' | 'toolMode'> {
  const offered = options.tools ?? [];
  if (offered.length === 0) return {};
  const required = options.toolMode === vscode.LanguageModelChatToolMode.Required;
  if (!model.tools) {
    if (required) throw new Error(`${model.displayName} cannot call tools, and this request requires a tool call. Pick a model marked “Tools”.`);
    note(`${offered.length} tool(s) offered to a model that cannot call tools; sent without them.`);
    return {};
  }
  return {
    tools: offered.map((t) => ({ name: t.name, description: t.description, parameters: t.inputSchema as Record<string, unknown> | undefined })),
    toolMode: required ? 'required' : 'auto',
  };
}

/**
 * What the caller sees: our ProviderError's message as is (it says what to do next and never holds
 * a key), with the kind in `name` so a caller can tell a bad key from a rate limit.
 */
function asError(e: unknown): Error {
  if (isProviderError(e)) {
    const error = new Error(errorText(e));
    error.name = `VisionChat.${e.kind}`;
    return error;
  }
  return e instanceof Error ? e : new Error(String(e));
}
