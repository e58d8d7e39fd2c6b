// Entry of the chat webview (bundled by esbuild into dist/webview.js, its CSS into dist/webview.css).

import '../../media/webview.css';
import type { HostMessage } from '../protocol';
import { ChatApp } from './app';
import { connectToHost } from './vscodeApi';

const host = connectToHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new ChatApp(root, host);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') {
    app.handle(message as HostMessage);
  }
});

host.post({ type: 'ready' });
