/** The message for a Node version that cannot run Access Desk, or null. */
export declare function problem(version: string): string | null;
export declare const REQUIRED_MAJOR: number;
