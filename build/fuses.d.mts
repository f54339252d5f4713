// Types for fuses.mjs, so its unit test is type-checked.
export declare const FUSE_PLAN: Readonly<Record<string, boolean>>
export declare const REQUIRED_FUSES: Readonly<Record<string, boolean>>
export declare function fuseConfig(FuseVersion: { V1: string }, FuseV1Options: Record<string, number>): Record<string | number, unknown>
export declare function applyFuses(electronBinary: string): Promise<void>
