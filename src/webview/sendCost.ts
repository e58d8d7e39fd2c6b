// "≈ $0.0004 to send": what the next prompt's input would cost on a priced model, shown beside the
// prompt box's hint. The model is sent the chat so far plus the draft, so both are counted, with the
// same estimate the extension uses for its context check and spend limit (src/shared). The chat's
// part is kept between keystrokes and counted again only after the chat changed.

import type { ModelOption, ViewImage, ViewMessage } from '../protocol';
import { estimateMessageTokens, inputCostUsd, TOKENS_PER_REQUEST } from '../shared/tokenEstimate';
import { formatCost, formatTokens } from './format';

export interface SendCost {
  readonly text: string;
  /** The figures behind it, for the tooltip. */
  readonly detail: string;
}

export class SendCostEstimate {
  private historyTokens: number | undefined;
  private countedFor = '';

  /** @param history The chat's messages as the view holds them. */
  constructor(private readonly history: () => readonly ViewMessage[]) {}

  /** The chat changed: its tokens are counted again when next needed. */
  invalidate(): void {
    this.historyTokens = undefined;
  }

  /** Undefined for a model without a price or an empty box. `contextTokens`: the attached files' estimates. */
  estimate(draft: string, images: readonly ViewImage[], model: ModelOption | undefined, contextTokens = 0): SendCost | undefined {
    if (!model?.pricing || (draft.trim() === '' && images.length === 0 && contextTokens === 0)) return undefined;
    const identity = { providerModelId: model.id, vision: model.vision, maxImageSide: model.maxImageSide };
    if (this.historyTokens === undefined || this.countedFor !== model.id) {
      // A failed answer is not sent back to the model; everything else is.
      const sent = this.history().filter((m) => m.status !== 'error');
      this.historyTokens = sent.reduce((sum, m) => sum + estimateMessageTokens({ content: m.text, images: m.images }, identity), 0);
      this.countedFor = model.id;
    }
    const tokens = TOKENS_PER_REQUEST + this.historyTokens + estimateMessageTokens({ content: draft, images }, identity) + contextTokens;
    const usd = inputCostUsd(tokens, model.pricing);
    return {
      text: `≈ ${formatCost(usd)} to send`,
      detail:
        `About ${formatTokens(tokens)} input tokens (the chat so far and this prompt with its attachments) at $${model.pricing.inputPerMillion} per million on ${model.displayName}. ` +
        `The answer's tokens cost $${model.pricing.outputPerMillion} per million on top.`,
    };
  }
}
