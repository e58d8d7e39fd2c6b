// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // Issue 12: messages carry outside text (file names, prompt names, server words), which VS Code would
    // render as `command:` links. They go through src/extension/notifications.ts, which makes them inert.
    files: ['src/**'],
    ignores: ['src/extension/notifications.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^show(Information|Warning|Error)Message$/]',
          message: 'Use showInfo/showWarning/showError from src/extension/notifications.ts: they neutralise links in outside text.',
        },
      ],
    },
  },
  {
    // The core, the simulator and the protocol run in plain Node (and the webview in a browser): no `vscode`.
    // So do the pieces of the extension that are plain logic, tested without VS Code: token estimates,
    // saved prompts, and the Language Model API's message conversion.
    files: [
      'src/core/**',
      'src/simulator/**',
      'src/protocol.ts',
      'src/shared/**',
      'src/webview/**',
      'src/extension/tokens.ts',
      'src/extension/prompts/savedPrompts.ts',
      'src/extension/lm/conversion.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'This module runs in plain Node (tests, benchmarks): keep VS Code out of it.' }] }],
    },
  },
  {
    // The webview speaks only the protocol: its types come from src/protocol.ts, never from the core;
    // what it computes the same way as the extension (token estimates) lives in src/shared.
    files: ['src/webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in a browser: no VS Code API here.' }],
          patterns: [{ group: ['**/core/**', '**/extension/**'], message: 'The webview imports types from src/protocol.ts and shared logic from src/shared only.' }],
        },
      ],
    },
  },
);
