// Types for chromium.mjs, which the TypeScript tests and benchmarks import.
export declare const CHROMIUM_ARGS: readonly string[];
export declare const INSTALL_CHROMIUM: string;
export declare function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
export declare function inCi(env?: NodeJS.ProcessEnv): boolean;
