// Text from outside (file names, saved prompt names, model ids, a server's words) shown in VS Code's
// own UI. Notifications render `[label](command:id?args)` as a link that runs the command with its
// arguments when clicked, so such text is made inert before it gets there. No `vscode` here: plain
// Node tests check it.

/** Invisible, and enough to break the `](` and `<scheme:` a link needs; the text reads the same. */
const ZERO_WIDTH_SPACE = '\u200B';

/**
 * The text with every Markdown link form broken: inline `[label](target)`, reference `[label][ref]`
 * and definitions `[ref]: target`, and autolinks `<scheme:…>`. VS Code's notifications parse only
 * the inline form (to https:, command: and file: targets); the others are broken too in case a
 * surface renders full Markdown.
 */
export function withoutLinks(text: string): string {
  return text.replace(/\](?=\s*[([:])/g, `]${ZERO_WIDTH_SPACE}`).replace(/<(?=[a-z][a-z0-9+.-]*:)/gi, `<${ZERO_WIDTH_SPACE}`);
}
