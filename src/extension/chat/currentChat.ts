// The chat on screen and where it is kept: the session is loaded lazily (nothing is read from disk
// until the view opens or a command needs the chat), saved as it changes, and switched for another
// (New Chat, the history). The workspace remembers which chat was open.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatView } from '../chatView';
import { type Conversation, newConversation } from '../conversation';
import { ConversationStore } from '../history';
import { showMessage, showWarning } from '../notifications';
import type { Services } from '../services';
import { ChatSession, type SessionHost } from '../session';

const CURRENT_CONVERSATION_KEY = 'visionChat.currentConversation';

export class CurrentChat implements vscode.Disposable {
  private current: ChatSession | undefined;
  private loading: Promise<ChatSession> | undefined;
  private storeValue: ConversationStore | undefined;

  constructor(
    private readonly services: Services,
    private readonly view: ChatView,
    /** Another conversation is now on screen: the view needs its whole state. */
    private readonly switched: () => void,
    /** A prompt went back to the prompt box: its attachments go back above it. */
    private readonly restoreContext: NonNullable<SessionHost['restoreContext']>,
  ) {}

  /** The session, loading the chat that was open last time first if need be. */
  session(): Promise<ChatSession> {
    if (this.current) return Promise.resolve(this.current);
    this.loading ??= this.load();
    return this.loading;
  }

  /** The session if it is loaded. */
  get loaded(): ChatSession | undefined {
    return this.current;
  }

  get store(): ConversationStore {
    this.storeValue ??= new ConversationStore(path.join(this.services.context.globalStorageUri.fsPath, 'conversations'), this.services.log, {
      onPruned: (message) => void showWarning(message),
    });
    return this.storeValue;
  }

  /** Writes the chat on screen now (before leaving it, or on deactivation). */
  async save(): Promise<void> {
    const session = await this.session();
    await this.store.save(session.conversationForSaving(), true);
  }

  /** Puts another conversation on screen, stopping the answer in flight. */
  switchTo(conversation: Conversation): void {
    if (!this.current) return;
    this.current.load(conversation);
    void this.services.context.workspaceState.update(CURRENT_CONVERSATION_KEY, conversation.id);
    this.switched();
  }

  /** Saves the open chat and opens an empty one. */
  async startNew(): Promise<void> {
    const session = await this.session();
    session.stop();
    await this.store.save(session.conversationForSaving(), true);
    this.switchTo(newConversation());
  }

  /** Writes what is pending; called on deactivation. */
  async flush(): Promise<void> {
    if (this.current && this.storeValue) await this.storeValue.save(this.current.conversationForSaving(), true);
  }

  dispose(): void {
    this.current?.dispose();
  }

  private async load(): Promise<ChatSession> {
    const currentId = this.services.context.workspaceState.get<string>(CURRENT_CONVERSATION_KEY);
    const restored = currentId ? await this.store.load(currentId) : undefined;
    const conversation = restored ?? newConversation();
    this.current = new ChatSession(this.sessionHost(), conversation);
    await this.services.context.workspaceState.update(CURRENT_CONVERSATION_KEY, conversation.id);
    return this.current;
  }

  private sessionHost(): SessionHost {
    const { services, view } = this;
    return {
      post: (message) => view.post(message),
      catalog: () => services.catalog(),
      settings: () => ({
        modelId: services.settings.modelId,
        systemPrompt: services.settings.systemPrompt,
        temperature: services.settings.temperature,
        maxTokens: services.settings.maxTokens,
      }),
      providerFor: (model) => services.providerFor(model),
      requestApiKey: (provider) => services.setApiKey(provider),
      confirmSpend: (model, estimateInputTokens) => services.confirmSpend(model, estimateInputTokens),
      reportCredits: (provider, event) => services.credits.report(provider, event),
      conversationChanged: (conversation, turnEnded) => void this.store.save(conversation, turnEnded),
      notify: (level, text) => void showMessage(level, text),
      restoreContext: this.restoreContext,
      log: services.log,
    };
  }
}
