// The CommonMark spec's examples, as the `commonmark-spec` package exports them.
declare module 'commonmark-spec' {
  export interface SpecExample {
    /** The example's Markdown, with tabs shown as "→" as in the spec's text. */
    readonly markdown: string;
    readonly html: string;
    readonly section: string;
    readonly number: number;
  }
  export const tests: readonly SpecExample[];
  export const text: string;
}
