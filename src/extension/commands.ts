// Every command id the extension registers, in one place. They match `contributes.commands` in
// package.json; `visionChat.ask` and `visionChat.runPrompt` belong to the prompts feature.

export const Commands = {
  openChat: 'visionChat.openChat',
  newChat: 'visionChat.newChat',
  setApiKey: 'visionChat.setApiKey',
  clearApiKey: 'visionChat.clearApiKey',
  selectModel: 'visionChat.selectModel',
  explainSelection: 'visionChat.explainSelection',
  describeImage: 'visionChat.describeImage',
  refreshCredits: 'visionChat.refreshCredits',
  exportChat: 'visionChat.exportChat',
  showHistory: 'visionChat.showHistory',
  showLog: 'visionChat.showLog',
  addToChat: 'visionChat.addToChat',
  /** In the title bar of Apply to File's diff. */
  acceptChange: 'visionChat.acceptChange',
  rejectChange: 'visionChat.rejectChange',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The chat webview view, and the commands VS Code derives from it and its container. */
export const CHAT_VIEW_ID = 'visionChat.chatView';
export const CHAT_VIEW_FOCUS_COMMAND = 'visionChat.chatView.focus';
export const CHAT_CONTAINER_COMMAND = 'workbench.view.extension.visionChat';
