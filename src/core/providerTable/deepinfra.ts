import type { ProviderDescriptor } from './descriptor';

export const DEEPINFRA = {
  id: 'deepinfra',
  name: 'DeepInfra',
  api: 'openai',
  baseUrl: { default: 'https://api.deepinfra.com/v1/openai', setting: 'deepinfra.baseUrl' },
  // `/models` answers without a key, so it cannot validate one; `/v1/me` needs it.
  key: {
    required: true,
    header: 'bearer',
    env: 'DEEPINFRA_TOKEN',
    page: 'https://deepinfra.com/dash/api_keys',
    checkUrl: (baseUrl: string) => `${baseUrl.replace(/\/openai$/, '')}/me`,
  },
  billing: { url: 'https://deepinfra.com/dash/billing', state: 'out of balance', remedy: 'add funds' },
  // Running out of balance is undocumented; 402 is taken as that (the default for every provider).
  catalog: { kind: 'deepinfra', path: 'models' },
  reportsBalance: false,
  reportsCostUsd: true,
} as const satisfies ProviderDescriptor<'deepinfra'>;
