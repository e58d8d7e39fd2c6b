// Routes the chat view's messages: one handler per message type (the compiler insists on all of
// them), run in the order `WEBVIEW_MESSAGES` declares. What touches the session is done here; the
// rest (dialogs, editors, links) is asked of `RouterHost`. No `vscode` here, so plain-Node tests
// drive the real routing against the simulator.

import { dispatch, type CodeRequest, type ContextLocation, type ContextRef, type ContextSuggestion, type ErrorAction, type HostMessage, type RawImage, type ViewNotice, type WebviewHandlers, type WebviewMessage } from '../../protocol';
import type { ContextStore } from '../context/contextStore';
import type { ChatSession, TurnOptions } from '../session';
import { untilUnderWay, WebviewMessageQueue } from '../webviewMessageQueue';

/** Attachments: the chips' texts, and what finds, reads and opens them (src/extension/context). */
export interface ContextHost {
  readonly store: ContextStore;
  /** The `#` rows for a query. */
  suggest(query: string): Promise<readonly ContextSuggestion[]>;
  /** Reads what a `#` row names and posts its chip (or tells the user why not). */
  attach(ref: ContextRef): Promise<void>;
  /** Files dropped on the prompt box: workspace files are attached, the others named in a notice. */
  drop(uris: readonly string[]): Promise<void>;
  /** Opens a sent chip's file at its lines. */
  open(location: ContextLocation): Promise<void>;
}

/** What the router needs from the rest of the chat. */
export interface RouterHost {
  /** The session, loading it first if need be. */
  session(): Promise<ChatSession>;
  /** The session if it is loaded (Stop has nothing to stop otherwise). */
  loadedSession(): ChatSession | undefined;
  post(message: HostMessage): void;
  /** Sends the whole state to a (re)loaded view. */
  deliverState(): Promise<void>;
  /** Makes `modelId` the chat's model; resolves once the choice is saved. */
  selectModel(modelId: string): Promise<void>;
  pickModel(): Promise<void>;
  pickImages(): Promise<void>;
  /** A next step offered beside an error; `askAgain` regenerates, holding the queue until it is under way. */
  errorAction(action: ErrorAction, messageId: string, askAgain: () => Promise<void>): Promise<void>;
  codeAction(request: CodeRequest): Promise<void>;
  openLink(href: string): Promise<void>;
  newChat(): Promise<void>;
  /** The view asks for a notice by kind; the host shows its own words for it. */
  notify(notice: ViewNotice): void;
  /** A handler failed: log it and tell the user. */
  fail(what: string, error: unknown): void;
  readonly context: ContextHost;
}

/** Describe Image requests awaiting the webview's answer; more at once would be a stuck view. */
const MAX_PENDING_SUBMITS = 8;

export class MessageRouter {
  /**
   * Describe Image's turn options by request id, taken by the `send` that answers that `submit` and
   * by no other (a submit the webview could not prepare leaves its entry unused, never inherited).
   */
  private readonly submits = new Map<string, TurnOptions>();
  private nextRequest = 0;
  private readonly queue = new WebviewMessageQueue(
    async (m) => void (await dispatch(this.handlers, m)),
    (m, e) => this.host.fail(`handling the chat view's “${m.type}”`, e),
  );

  constructor(private readonly host: RouterHost) {}

  /** A checked message from the webview: handled now or in its turn, as its type says. */
  receive(message: WebviewMessage): void {
    this.queue.push(message);
  }

  /** Resolves when every ordered message received so far has been handled. */
  whenDrained(): Promise<void> {
    return this.queue.whenDrained();
  }

  /** Has the webview prepare (downscale) the images for the model and send them with the text. */
  submit(text: string, images: readonly RawImage[], options: TurnOptions): void {
    const requestId = `submit-${++this.nextRequest}`;
    this.submits.set(requestId, options);
    // Keep only the latest few: an answer that never came must not pile up.
    for (const old of this.submits.keys()) if (this.submits.size > MAX_PENDING_SUBMITS) this.submits.delete(old);
    this.host.post({ type: 'submit', requestId, text, images, ...(options.note ? { note: options.note } : {}) });
  }

  private readonly handlers: WebviewHandlers = {
    ready: () => this.host.deliverState(),
    send: async (message) => {
      const session = await this.host.session();
      const requested = message.requestId !== undefined ? this.submits.get(message.requestId) : undefined;
      if (message.requestId !== undefined) this.submits.delete(message.requestId);
      // The host's own texts for the chips' ids: nothing the view sent is read as content.
      const { attachments, missing } = this.host.context.store.resolve(message.context ?? []);
      const context = { ...(attachments.length ? { context: attachments } : {}), ...(missing ? { missingContext: missing } : {}) };
      const options: TurnOptions = requested ? { modelId: requested.modelId, note: message.note, ...context } : { note: message.note, ...context };
      await this.untilUnderWay(session, session.send(message.text, message.images, options));
    },
    stop: () => this.host.loadedSession()?.stop(),
    regenerate: () => this.askAgain(),
    editLast: async () => (await this.host.session()).editLast(),
    selectModel: (message) => this.host.selectModel(message.modelId),
    pickModel: () => this.host.pickModel(),
    pickImage: () => this.host.pickImages(),
    errorAction: (message) => this.host.errorAction(message.action, message.messageId, () => this.askAgain()),
    code: ({ action, code, language, target }) => this.host.codeAction({ action, code, language, target }),
    openLink: (message) => this.host.openLink(message.href),
    newChat: () => this.host.newChat(),
    notify: (message) => this.host.notify(message.notice),
    suggestContext: async ({ requestId, query }) => {
      const suggestions = await this.host.context.suggest(query);
      this.host.post({ type: 'contextSuggestions', requestId, suggestions });
    },
    attachContext: (message) => this.host.context.attach(message.ref),
    dropFiles: (message) => this.host.context.drop(message.uris),
    removeContext: (message) => this.host.context.store.remove(message.id),
    openContext: (message) => this.host.context.open(message.location),
  };

  private async askAgain(): Promise<void> {
    const session = await this.host.session();
    await this.untilUnderWay(session, session.regenerate());
  }

  /** Holds the next ordered message until this turn is under way, not until its answer ends. */
  private untilUnderWay(session: ChatSession, answer: Promise<void>): Promise<void> {
    return untilUnderWay(session, answer, (e) => this.host.fail('getting an answer', e));
  }
}
