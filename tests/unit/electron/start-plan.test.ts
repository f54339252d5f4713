// What `npm start` decides: Electron when its binary is here, else the browser preview.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bindingBuildCommands,
  electronBindingFile,
  findElectronBinary,
  findNodeGyp,
  NO_ELECTRON_NOTICE,
  planStart
} from '../../../scripts/start-plan.mjs'
import { electronBindingPath } from '../../../src/main/electron/desktop-config'

const ROOT = '/repo'
const ELECTRON_DIR = '/repo/node_modules/electron'

function files(map: Record<string, string>) {
  return { exists: (path: string) => path in map, readText: (path: string) => map[path] ?? '' }
}

describe('findElectronBinary', () => {
  it('finds the binary named by path.txt when it was downloaded', () => {
    const fs = files({ [join(ELECTRON_DIR, 'path.txt')]: 'electron', [join(ELECTRON_DIR, 'dist', 'electron')]: '' })
    expect(findElectronBinary({ electronDir: ELECTRON_DIR, env: {}, ...fs })).toBe(join(ELECTRON_DIR, 'dist', 'electron'))
  })

  it('finds nothing when the download was skipped or failed, without trying to download', () => {
    expect(findElectronBinary({ electronDir: ELECTRON_DIR, env: {}, ...files({}) })).toBeNull()
    const halfInstalled = files({ [join(ELECTRON_DIR, 'path.txt')]: 'electron' })
    expect(findElectronBinary({ electronDir: ELECTRON_DIR, env: {}, ...halfInstalled })).toBeNull()
  })

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const fs = files({ '/opt/electron/electron': '' })
    expect(findElectronBinary({ electronDir: ELECTRON_DIR, env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, ...fs })).toBe('/opt/electron/electron')
  })
})

describe('planStart', () => {
  it('starts the browser preview with a one-line notice when there is no Electron binary', () => {
    const plan = planStart({ root: ROOT, electronBinary: null, electronVersion: '45.5.0', bindingExists: false, bindingStamp: null })
    expect(plan).toEqual({ mode: 'preview', notice: NO_ELECTRON_NOTICE })
    expect(NO_ELECTRON_NOTICE).not.toContain('\n')
    expect(NO_ELECTRON_NOTICE).toMatch(/Electron is not installed.*browser preview/)
  })

  it('builds the Electron binding when it is missing or was built for another Electron', () => {
    const base = { root: ROOT, electronBinary: '/e/electron', electronVersion: '45.5.0' }
    expect(planStart({ ...base, bindingExists: false, bindingStamp: null })).toMatchObject({ mode: 'electron', rebuildBinding: true })
    expect(planStart({ ...base, bindingExists: true, bindingStamp: '44.0.0' })).toMatchObject({ rebuildBinding: true })
    expect(planStart({ ...base, bindingExists: true, bindingStamp: '45.5.0' })).toMatchObject({ rebuildBinding: false })
  })

  it('launches Electron with the binding path the bootstrap looks for', () => {
    const plan = planStart({ root: ROOT, electronBinary: '/e/electron', electronVersion: '45.5.0', bindingExists: true, bindingStamp: '45.5.0' })
    expect(plan).toMatchObject({ mode: 'electron', electronBinary: '/e/electron', env: { TWOFA_ADMIN_SQLITE_BINDING: electronBindingFile(ROOT) } })
    expect(electronBindingFile(ROOT)).toBe(electronBindingPath(ROOT))
  })
})

describe('building better-sqlite3 for Electron', () => {
  it('tries a prebuilt binary first, then node-gyp against Electron headers', () => {
    const commands = bindingBuildCommands({ root: ROOT, nativeDir: '/repo/.electron-native/better-sqlite3', electronVersion: '45.5.0', arch: 'x64', nodePath: '/usr/bin/node', nodeGyp: '/npm/node-gyp.js' })
    expect(commands).toHaveLength(2)
    expect(commands[0]?.args).toEqual(expect.arrayContaining(['--runtime', 'electron', '--target', '45.5.0', '--arch', 'x64']))
    expect(commands[1]?.args).toEqual(
      expect.arrayContaining(['/npm/node-gyp.js', 'rebuild', '--runtime=electron', '--target=45.5.0', '--dist-url=https://electronjs.org/headers'])
    )
    for (const command of commands) expect(command.cwd).toBe('/repo/.electron-native/better-sqlite3')
  })

  it('finds node-gyp from npm’s own copy', () => {
    const viaEnv = findNodeGyp({ env: { npm_config_node_gyp: '/a/node-gyp.js' }, execPath: '/usr/bin/node', npmGlobalPrefix: null, exists: (p) => p === '/a/node-gyp.js' })
    expect(viaEnv).toBe('/a/node-gyp.js')
    const viaPrefix = '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'
    expect(findNodeGyp({ env: {}, execPath: '/opt/node/bin/node', npmGlobalPrefix: '/usr', exists: (p) => p === viaPrefix })).toBe(viaPrefix)
    const besideNode = '/opt/node/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'
    expect(findNodeGyp({ env: {}, execPath: '/opt/node/bin/node', npmGlobalPrefix: null, exists: (p) => p === besideNode })).toBe(besideNode)
    expect(findNodeGyp({ env: {}, execPath: '/opt/node/bin/node', npmGlobalPrefix: null, exists: () => false })).toBeNull()
  })
})
