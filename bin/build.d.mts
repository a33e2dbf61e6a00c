/** Types of bin/build.mjs for the TypeScript that imports it (the bench). */
export declare const THREAD_ENTRY_POINTS: Record<string, string>;
export declare const ENTRY_POINTS: Record<string, string>;
export declare function buildService(): Promise<void>;
export declare function bundleForNode(entryPoints: Record<string, string>, outdir: string): Promise<void>;
export declare function buildIfStale(): Promise<string>;
