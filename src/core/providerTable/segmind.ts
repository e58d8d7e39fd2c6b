import type { ProviderDescriptor } from './descriptor';

export const SEGMIND = {
  id: 'segmind',
  name: 'Segmind',
  api: 'segmind',
  baseUrl: { default: 'https://api.segmind.com/v1', setting: 'segmind.baseUrl' },
  // The balance call (`get-user-credits`) doubles as the key check.
  key: { required: true, header: 'x-api-key', env: 'SEGMIND_API_KEY', page: 'https://cloud.segmind.com/console/api-keys' },
  billing: { url: 'https://cloud.segmind.com/console/billing', state: 'out of credits', remedy: 'top up' },
  // Documented: 406 means "not enough credits".
  statusKinds: { 406: 'outOfCredits' },
  // No listing endpoint: the curated slugs in core/catalog.ts.
  catalog: { kind: 'curated' },
  reportsBalance: true,
  reportsCostUsd: false,
} as const satisfies ProviderDescriptor<'segmind'>;
