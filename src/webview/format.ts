// How numbers read in the view: token counts, prices of a fraction of a cent, durations, sizes.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatTokens(count: number): string {
  return integer.format(count);
}

/**
 * Dollars, readable whatever the size: an answer typically costs a few hundredths of a cent, so small
 * amounts keep three significant digits (`$0.000123`) while larger ones read as money (`$1.25`).
 */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '';
  if (usd === 0) return '$0';
  if (usd < 0.000001) return '<$0.000001';
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  // toPrecision can fall into exponent notation; fixed-point with enough decimals cannot.
  const decimals = Math.min(8, 2 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '')}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}

/** Whole seconds for a ticking indicator: "7 s", "1 min 05 s". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "A, B or C" */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A context size at a glance: "850 tokens", "1.2K tokens", "12K tokens", "1.5M tokens". */
export function formatTokenSize(count: number): string {
  const n = Number.isFinite(count) && count > 0 ? Math.round(count) : 0;
  if (n === 1) return '1 token';
  if (n < 1000) return `${n} tokens`;
  if (n < 999_500) return `${n < 9_950 ? (n / 1000).toFixed(1).replace(/\.0$/, '') : Math.round(n / 1000)}K tokens`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M tokens`;
}
