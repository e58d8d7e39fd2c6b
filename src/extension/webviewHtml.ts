// The chat webview's HTML: a strict Content Security Policy (scripts only by a fresh nonce, no
// network, styles/fonts/images only from the extension's dist/ folder plus data:/blob: images for
// thumbnails) and the document the webview bundle mounts into. No `vscode` here.

import { randomBytes } from 'node:crypto';

export interface WebviewHtmlInput {
  /** `webview.cspSource`: the origin the webview loads local resources from. */
  readonly cspSource: string;
  /** A dist/ file as a webview URI (`webview.asWebviewUri`). */
  resource(...path: string[]): string;
  /** For tests; a fresh cryptographic nonce otherwise. */
  readonly nonce?: string;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data: blob:`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function chatViewHtml(input: WebviewHtmlInput): string {
  const nonce = input.nonce ?? newNonce();
  const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.resource('codicons', 'codicon.css'))}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(input.resource('webview.css'))}">
<title>Vision Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(nonce)}" src="${attr(input.resource('webview.js'))}"></script>
</body>
</html>`;
}
