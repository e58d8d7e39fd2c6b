// The webview is semi-trusted: it renders model output, which is hostile input. Its messages are
// checked field by field where they are declared (`WEBVIEW_MESSAGES` in protocol.ts); what the host
// does with a checked link is decided here.

/** Only web links leave the editor; `command:`, `file:`, `javascript:` and the like are refused. */
export function isWebLink(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
