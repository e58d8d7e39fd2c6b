// The one way the extension shows a notification or a message box. Every text goes through
// `withoutLinks`: messages carry file names, prompt names, model ids and server words, none of which
// may become a clickable `command:` link. A lint rule (eslint.config.mjs) refuses
// `window.show*Message` anywhere else.

import * as vscode from 'vscode';
import { withoutLinks } from './plainText';

type Level = 'info' | 'warning' | 'error';

function show<T extends string>(level: Level, message: string, rest: readonly (vscode.MessageOptions | T)[]): Thenable<T | undefined> {
  const [first, ...others] = rest;
  const options = typeof first === 'object' ? { ...first, detail: first.detail === undefined ? undefined : withoutLinks(first.detail) } : undefined;
  // Buttons are our own fixed words (and the value handed back): they are passed as they are.
  const items = (typeof first === 'object' ? others : rest) as T[];
  const text = withoutLinks(message);
  const window = vscode.window;
  switch (level) {
    case 'info':
      return options ? window.showInformationMessage(text, options, ...items) : window.showInformationMessage(text, ...items);
    case 'warning':
      return options ? window.showWarningMessage(text, options, ...items) : window.showWarningMessage(text, ...items);
    case 'error':
      return options ? window.showErrorMessage(text, options, ...items) : window.showErrorMessage(text, ...items);
  }
}

export function showInfo<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showInfo<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showInfo(message: string, ...rest: (vscode.MessageOptions | string)[]): Thenable<string | undefined> {
  return show('info', message, rest);
}

export function showWarning<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showWarning<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showWarning(message: string, ...rest: (vscode.MessageOptions | string)[]): Thenable<string | undefined> {
  return show('warning', message, rest);
}

export function showError<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showError<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showError(message: string, ...rest: (vscode.MessageOptions | string)[]): Thenable<string | undefined> {
  return show('error', message, rest);
}

/** By level, for callers that pass one along. */
export function showMessage(level: Level, message: string): Thenable<string | undefined> {
  return show(level, message, []);
}
