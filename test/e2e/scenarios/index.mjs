// The scenarios, in the order they run. Each is independent: fresh profile, own simulator.

import applyChange from './apply-change.mjs';
import contextAttach from './context-attach.mjs';
import describeImage from './describe-image.mjs';
import crossedChat from './crossed-chat.mjs';
import errorsKeyAndCredits from './errors-key-and-credits.mjs';
import errorsRetryAndCut from './errors-retry-and-cut.mjs';
import explainSelection from './explain-selection.mjs';
import hostile from './hostile.mjs';
import { liveCatalog, liveCatalogDown } from './live-catalog.mjs';
import lmProvider from './lmProvider.mjs';
import notificationLinks from './notification-links.mjs';
import npmStart from './npm-start.mjs';
import palettePrompts from './palettePrompts.mjs';
import pasteImage from './paste-image.mjs';
import reload from './reload.mjs';
import restrictedMode from './restricted-mode.mjs';
import segmind from './segmind.mjs';
import setApiKey from './set-api-key.mjs';
import smoke from './smoke.mjs';
import spendLimit from './spend-limit.mjs';
import lmSpendLimit from './lm-spend-limit.mjs';
import stop from './stop.mjs';
import streaming from './streaming.mjs';
import twoWindows from './two-windows.mjs';
import vscodeChatImage from './vscodeChatImage.mjs';
import vscodeLanguageModels from './vscodeLanguageModels.mjs';
import vscodeChatTools from './vscodeChatTools.mjs';

export const SCENARIOS = [
  smoke,
  npmStart,
  setApiKey,
  streaming,
  stop,
  segmind,
  explainSelection,
  applyChange,
  contextAttach,
  restrictedMode,
  describeImage,
  errorsKeyAndCredits,
  errorsRetryAndCut,
  hostile,
  reload,
  pasteImage,
  palettePrompts,
  lmProvider,
  crossedChat,
  twoWindows,
  spendLimit,
  lmSpendLimit,
  liveCatalog,
  liveCatalogDown,
  notificationLinks,
  vscodeChatTools,
  vscodeChatImage,
  vscodeLanguageModels,
];
