// The models the user chose last (Select Model or the chat view's picker), newest first, kept in
// global storage so every window and the next session show them on top of Select Model.

/** The part of VS Code's Memento used here. */
export interface RecentStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'visionChat.recentModels';
export const MAX_RECENT_MODELS = 5;
const MAX_ID_CHARS = 300;

/** Model ids (`provider:id`), newest first; whatever else the store holds is ignored. */
export function recentModelIds(store: RecentStore): readonly string[] {
  const value = store.get(KEY);
  if (!Array.isArray(value)) return [];
  const ids = value.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS);
  return [...new Set(ids)].slice(0, MAX_RECENT_MODELS);
}

/** Puts `id` first. */
export async function rememberModel(store: RecentStore, id: string): Promise<void> {
  if (id.length === 0 || id.length > MAX_ID_CHARS) return;
  const ids = [id, ...recentModelIds(store).filter((other) => other !== id)].slice(0, MAX_RECENT_MODELS);
  await store.update(KEY, ids);
}
