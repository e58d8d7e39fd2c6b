// Entry of the chat webview (bundled by esbuild into dist/webview.js, its CSS into dist/webview.css).

import '../../media/webview.css';
import { isHostMessage } from '../protocol';
import { ChatApp } from './app';
import { connectToHost } from './vscodeApi';

const host = connectToHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new ChatApp(root, host);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) app.handle(event.data);
});

host.post({ type: 'ready' });
