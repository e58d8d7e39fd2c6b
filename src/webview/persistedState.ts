// What the webview keeps through a reload or a hidden panel (vscode.setState): the unsent draft,
// its prepared images and context chips, and where the user was reading. The conversation itself lives in the host.

import type { ContextChip, ViewImage } from '../protocol';
import { restoredChips } from './contextChips';
import type { Host } from './vscodeApi';

export interface ScrollPosition {
  readonly atBottom: boolean;
  /** The message at the top of the viewport and how far (px) its top sits above the viewport's top. */
  readonly anchorId?: string;
  readonly anchorOffset?: number;
}

export interface Draft {
  readonly text: string;
  readonly images: readonly ViewImage[];
  /** Chips above the prompt box (added later: older saved states lack it). */
  readonly context?: readonly ContextChip[];
}

export interface PersistedState {
  readonly version: 1;
  readonly draft: Draft;
  readonly scroll?: ScrollPosition;
}

/** Writes at most once per `delayMs`, and at once when the page is going away. */
export class StateSaver {
  private draft: Draft = { text: '', images: [], context: [] };
  private scroll: ScrollPosition | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: Host, private readonly delayMs = 250) {
    const restored = host.getState();
    if (restored?.draft && typeof restored.draft.text === 'string') {
      this.draft = {
        text: restored.draft.text,
        images: Array.isArray(restored.draft.images) ? restored.draft.images : [],
        context: restoredChips(restored.draft.context),
      };
    }
    this.scroll = restored?.scroll;
    // A reload can come at any moment: never let the debounce swallow the last keystrokes.
    window.addEventListener('pagehide', () => this.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flush();
    });
  }

  get restoredDraft(): Draft {
    return this.draft;
  }

  get restoredScroll(): ScrollPosition | undefined {
    return this.scroll;
  }

  saveDraft(text: string, images: readonly ViewImage[], context: readonly ContextChip[]): void {
    this.draft = { text, images, context };
    this.schedule();
  }

  saveScroll(scroll: ScrollPosition): void {
    this.scroll = scroll;
    this.schedule();
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.host.setState({ version: 1, draft: this.draft, scroll: this.scroll });
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }
}
