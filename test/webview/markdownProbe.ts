// The chat view's Markdown renderer (MarkdownView) on its own, for tests that drive it thousands of
// times in the page: bundled like the webview (see `buildMarkdownProbe`) and put on `window`.

import { MarkdownView } from '../../src/webview/markdownView';

declare global {
  interface Window {
    markdownProbe: typeof probe;
  }
}

const probe = {
  /** The view's HTML for `text` rendered whole, as a finished message is. */
  whole(text: string): string {
    const view = new MarkdownView({ openInEditor: () => undefined });
    view.reset(text, false);
    return view.element.innerHTML;
  },
  /**
   * The view's HTML for `text` streamed: each piece appended and rendered as one frame would, then
   * the stream finished, as a message is when its answer ends.
   */
  streamed(pieces: readonly string[]): string {
    const view = new MarkdownView({ openInEditor: () => undefined });
    view.reset('', true);
    for (const piece of pieces) {
      view.appendText(piece);
      view.renderStreaming();
    }
    view.finish();
    return view.element.innerHTML;
  },
};

window.markdownProbe = probe;
