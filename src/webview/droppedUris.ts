// What a drop from VS Code's Explorer (or an editor tab) carries: resource URIs. VS Code puts the
// full list in its own `application/vnd.code.uri-list`; the standard `text/uri-list` holds only the
// first one (a Chromium limit), so it is the fallback.

const CODE_URI_LIST = 'application/vnd.code.uri-list';
const URI_LIST = 'text/uri-list';

/** The protocol's limit on one drop. */
export const MAX_DROPPED_URIS = 256;

/** Whether a drag carries URIs the view can attach (checked on dragenter, before the data is readable). */
export function carriesUris(types: readonly string[]): boolean {
  return types.some((type) => type.toLowerCase() === CODE_URI_LIST || type.toLowerCase() === URI_LIST);
}

/** The URIs of a drop, without duplicates or comment lines; the host decides which are workspace files. */
export function droppedUris(data: DataTransfer): string[] {
  const lines = (text: string): string[] =>
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && line.length <= 4096 && !line.startsWith('#'));
  // Lines as VS Code writes it today; a JSON array as some versions did.
  const listed = (text: string): string[] => {
    if (!text.trimStart().startsWith('[')) return lines(text);
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? lines(parsed.filter((u): u is string => typeof u === 'string').join('\n')) : [];
    } catch {
      return [];
    }
  };
  const uris = [...listed(data.getData(CODE_URI_LIST)), ...lines(data.getData(URI_LIST))];
  return [...new Set(uris)];
}
