// Types for start-plan.mjs, so its unit test is type-checked.
export declare const NO_ELECTRON_NOTICE: string
export declare function electronNativeDir(root: string): string
export declare function electronBindingFile(root: string): string
export declare function electronBindingStampFile(root: string): string
export declare function findElectronBinary(facts: {
  electronDir: string
  env: Record<string, string | undefined>
  readText: (path: string) => string
  exists: (path: string) => boolean
}): string | null
export declare function findNodeGyp(facts: {
  env: Record<string, string | undefined>
  execPath: string
  npmGlobalPrefix: string | null
  exists: (path: string) => boolean
}): string | null
export interface Command {
  label: string
  command: string
  args: string[]
  cwd: string
}
export declare function bindingBuildCommands(facts: {
  root: string
  nativeDir: string
  electronVersion: string
  arch: string
  nodePath: string
  nodeGyp: string | null
}): Command[]
export type StartPlan =
  | { mode: 'preview'; notice: string }
  | { mode: 'electron'; electronBinary: string; rebuildBinding: boolean; binding: string; env: { TWOFA_ADMIN_SQLITE_BINDING: string } }
export declare function planStart(facts: {
  root: string
  electronBinary: string | null
  electronVersion: string
  bindingExists: boolean
  bindingStamp: string | null
}): StartPlan
