// The order in which the chat view's messages are acted on. The webview posts them as the user acts,
// and each handler is async: started as they arrive, a `send` posted right after a `selectModel`
// could read the model before the choice was applied. Messages that change the chat or the model it
// uses (`inTurn` in protocol.ts) run one after another, in the order they came; the rest (Stop above
// all, which must act while an answer streams) run the moment they arrive. No `vscode` here, so
// plain-Node tests cover it.

import { orderingOf, type WebviewMessage } from '../protocol';

export class WebviewMessageQueue {
  /** Settles when the last ordered message has been handled. */
  private tail: Promise<void> = Promise.resolve();

  /**
   * `handle` resolves when the next ordered message may run. For a prompt that is once the answer is
   * under way, not when it ends: otherwise New Chat would wait for the whole answer.
   */
  constructor(
    private readonly handle: (message: WebviewMessage) => Promise<void>,
    private readonly failed: (message: WebviewMessage, error: unknown) => void,
  ) {}

  push(message: WebviewMessage): void {
    if (orderingOf(message) === 'atOnce') {
      void this.run(message);
      return;
    }
    // A handler that fails is reported and does not hold back the ones after it.
    this.tail = this.tail.then(() => this.run(message));
  }

  /** Resolves when every ordered message received so far has been handled. */
  whenDrained(): Promise<void> {
    return this.tail;
  }

  private async run(message: WebviewMessage): Promise<void> {
    try {
      await this.handle(message);
    } catch (e) {
      this.failed(message, e);
    }
  }
}

/**
 * For a handler that starts an answer: resolves once the turn is under way (its model and history
 * fixed), not when the answer ends, so New Chat or another model need not wait for the whole answer.
 * The answer's own failure goes to `failed`.
 */
export async function untilUnderWay(session: { whenStarted(): Promise<void> }, answer: Promise<void>, failed: (error: unknown) => void): Promise<void> {
  const ended = answer.catch(failed);
  await Promise.race([ended, session.whenStarted()]);
}
