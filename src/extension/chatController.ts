// The chat panel on the VS Code side: it wires the view to the chat on screen (`CurrentChat`), routes
// the webview's messages (`MessageRouter`) to the module that does each job, keeps the view's model
// list current, and serves the other features (`ChatPanel`).

import * as vscode from 'vscode';
import type { ProviderId } from '../core/types';
import type { RawImage, ViewNotice, ViewState } from '../protocol';
import { ApplyChanges } from './apply/applyChanges';
import { runCodeAction } from './chat/codeActions';
import { CurrentChat } from './chat/currentChat';
import { runErrorAction } from './chat/errorActions';
import { ContextService } from './context/contextService';
import { exportChat } from './chat/exportChat';
import { showHistoryPicker } from './chat/historyPicker';
import { MessageRouter } from './chat/messageRouter';
import type { ChatView } from './chatView';
import { Commands } from './commands';
import { IMAGE_EXTENSIONS, readImageFile } from './imageFiles';
import { PROVIDER_IDS, providerNeedsKey } from './keys';
import { isWebLink } from './messageGuard';
import { modelOptions, resolveModel } from './models';
import { showError, showWarning } from './notifications';
import { recentModelIds, rememberModel } from './recentModels';
import type { ChatPanel, Services } from './services';
import type { ChatSession } from './session';

/** What the host says when the chat view asks for a notice: fixed words, the view shows the details. */
const VIEW_NOTICE_TEXTS: Record<ViewNotice, string> = {
  imageNotPrepared: 'Vision Chat could not prepare the image, so nothing was sent. The chat view says why.',
};

export class ChatController implements ChatPanel, vscode.Disposable {
  private readonly chat: CurrentChat;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly router: MessageRouter;
  private readonly apply: ApplyChanges;
  private readonly context: ContextService;

  constructor(
    private readonly services: Services,
    private readonly view: ChatView,
  ) {
    this.context = new ContextService(services, view);
    this.chat = new CurrentChat(services, view, () => void this.deliverState(), (attachments) => this.context.restore(attachments));
    this.apply = new ApplyChanges((code) => runCodeAction({ action: 'insert', code }, this.apply));
    this.router = new MessageRouter({
      session: () => this.chat.session(),
      loadedSession: () => this.chat.loaded,
      post: (message) => view.post(message),
      deliverState: () => this.deliverState(),
      selectModel: (modelId) => this.selectModelFromView(modelId),
      pickModel: async () => void (await vscode.commands.executeCommand(Commands.selectModel)),
      pickImages: () => this.pickImages(),
      errorAction: async (action, messageId, askAgain) => runErrorAction(services, await this.chat.session(), action, messageId, askAgain),
      codeAction: (request) => runCodeAction(request, this.apply),
      openLink: (href) => this.openLink(href),
      newChat: () => this.newChat(),
      notify: (notice) => void showError(VIEW_NOTICE_TEXTS[notice]),
      fail: (what, e) => this.fail(what, e),
      context: this.context,
    });
    this.disposables.push(
      view.onDidReceiveMessage((m) => this.router.receive(m)),
      services.settings.onDidChange(() => void this.postModels()),
      services.keys.onDidChange(() => void this.postModels()),
      services.onDidChangeCatalog(() => void this.postModels()),
    );
  }

  // ---- ChatPanel ----

  async ask(prompt: string, options: { modelId?: string; preserveFocus?: boolean; note?: string } = {}): Promise<void> {
    await this.view.reveal(options.preserveFocus ?? this.services.settings.revealWithoutFocus);
    const session = await this.chat.session();
    if (!(await this.readyForNewTurn(session))) return;
    await session.send(prompt, [], { modelId: options.modelId, note: options.note });
  }

  async askWithImages(prompt: string, images: readonly RawImage[], options: { modelId?: string; note?: string } = {}): Promise<void> {
    await this.view.reveal(false);
    const session = await this.chat.session();
    if (!(await this.readyForNewTurn(session))) return;
    this.router.submit(prompt, images, options);
  }

  // ---- commands ----

  async newChat(): Promise<void> {
    await this.chat.startNew();
    this.view.post({ type: 'focusInput' });
  }

  /** Add to Vision Chat, from the Explorer's or the editor's context menu or the palette. */
  addToChat(target?: unknown, selected?: unknown): Promise<void> {
    return this.context.addToChat(target, selected);
  }

  showHistory(): Promise<void> {
    return showHistoryPicker(this.chat, () => this.view.reveal(false));
  }

  async exportChat(): Promise<void> {
    const session = await this.chat.session();
    await exportChat(session.conversationForSaving(), this.services.log);
  }

  /** Writes what is pending; called on deactivation. */
  flush(): Promise<void> {
    return this.chat.flush();
  }

  // ---- the view's state and model list ----

  private async deliverState(): Promise<void> {
    const session = await this.chat.session();
    // A model chosen from a listing in an earlier session is known before the first prompt; the
    // listings themselves are read again in the background (the view hears when they change).
    await this.services.loadStoredCatalogs();
    void this.services.refreshCatalogs();
    const { models, modelId, catalogNotes, recentModelIds } = await this.modelState();
    // Snapshot last, right before posting, so no streamed text falls between the two.
    const snapshot = session.snapshot();
    const state: ViewState = { ...snapshot, models, modelId, catalogNotes, recentModelIds };
    this.view.deliverState(state);
  }

  /** Tells the webview about a changed model list or choice. */
  private async postModels(): Promise<void> {
    const { models, modelId, catalogNotes, recentModelIds } = await this.modelState();
    this.view.post({ type: 'models', models, modelId, catalogNotes, recentModelIds });
  }

  private async modelState(): Promise<Pick<ViewState, 'models' | 'modelId' | 'catalogNotes' | 'recentModelIds'>> {
    const catalog = this.services.catalog();
    const keyed = new Map<ProviderId, boolean>();
    await Promise.all(PROVIDER_IDS.map(async (p) => keyed.set(p, !providerNeedsKey(p) || (await this.services.keys.get(p)).source !== 'none')));
    return {
      models: modelOptions(catalog, (p) => keyed.get(p) === true),
      modelId: resolveModel(catalog, this.services.settings.modelId).model.id,
      catalogNotes: this.services.catalogNotes(),
      recentModelIds: recentModelIds(this.services.context.globalState),
    };
  }

  private async selectModelFromView(modelId: string): Promise<void> {
    const model = this.services.catalog().get(modelId);
    if (!model) {
      // The id came from the view: it is logged, not shown (a fixed text cannot carry a link).
      this.services.log.warn(`The chat view chose a model that is not in the catalog: ${JSON.stringify(modelId.slice(0, 200))}`);
      void showWarning('That model is not available any more. Pick one with Vision Chat: Select Model….');
      await this.postModels();
      return;
    }
    // Remembered first: the settings change re-posts the model list, which should have it on top.
    await rememberModel(this.services.context.globalState, model.id);
    await this.services.settings.setModelId(model.id);
  }

  // ---- the rest of what the webview asks for ----

  private async pickImages(): Promise<void> {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Attach',
      title: 'Attach Images',
      filters: { Images: IMAGE_EXTENSIONS },
    });
    if (!uris?.length) return;
    const images: RawImage[] = [];
    for (const uri of uris) {
      const result = await readImageFile(uri);
      if ('image' in result) images.push(result.image);
      else void showWarning(result.problem);
    }
    if (images.length) this.view.post({ type: 'attachImages', images });
  }

  private async openLink(href: string): Promise<void> {
    if (isWebLink(href)) await vscode.env.openExternal(vscode.Uri.parse(href, true));
    else this.services.log.warn('Refused to open a link that is not http(s) from the chat view');
  }

  /** A new turn from a command while an answer is still coming: offer to stop it. */
  private async readyForNewTurn(session: ChatSession): Promise<boolean> {
    if (!session.busy) return true;
    const choice = await showWarning('An answer is still coming in the chat.', 'Stop It and Ask');
    if (choice !== 'Stop It and Ask') return false;
    session.stop();
    return !session.busy;
  }

  private fail(what: string, e: unknown): void {
    this.services.log.error(`Failed ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void showError(`Vision Chat: something went wrong ${what}. See the log (Vision Chat: Show Log).`);
  }

  dispose(): void {
    this.chat.dispose();
    this.apply.dispose();
    this.context.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
