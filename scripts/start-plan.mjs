// Decisions behind `npm start`, as pure functions over injected facts so they
// can be tested: is the Electron binary here, does better-sqlite3 need building
// for Electron's ABI, and with which commands.
import { dirname, join } from 'node:path'

export const NO_ELECTRON_NOTICE =
  'Electron is not installed on this machine (its binary downloads on first install with internet access); starting the browser preview instead.'

/** Where `npm start` keeps better-sqlite3 built for Electron (must match src/main/electron/desktop-config.ts). */
export function electronNativeDir(root) {
  return join(root, '.electron-native', 'better-sqlite3')
}

export function electronBindingFile(root) {
  return join(electronNativeDir(root), 'build', 'Release', 'better_sqlite3.node')
}

/** Records which Electron version the binding was built for, so an upgrade rebuilds it. */
export function electronBindingStampFile(root) {
  return join(electronNativeDir(root), '.electron-version')
}

/**
 * The Electron executable, found the way the electron package's index.js finds
 * it but without its side effect: requiring that module starts a download when
 * the binary is missing, which hangs on an offline machine.
 */
export function findElectronBinary({ electronDir, env, readText, exists }) {
  const pathFile = join(electronDir, 'path.txt')
  const relative = exists(pathFile) ? readText(pathFile).trim() : ''
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const candidate = join(override, relative || 'electron')
    return exists(candidate) ? candidate : null
  }
  if (!relative) return null
  const candidate = join(electronDir, 'dist', relative)
  return exists(candidate) ? candidate : null
}

/** node-gyp ships inside npm; npm also tells its scripts where (npm_config_node_gyp). */
export function findNodeGyp({ env, execPath, npmGlobalPrefix, exists }) {
  const inNpm = (prefix) => [
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  ]
  const candidates = [
    env.npm_config_node_gyp,
    ...(npmGlobalPrefix ? inNpm(npmGlobalPrefix) : []),
    ...inNpm(dirname(dirname(execPath))),
    ...inNpm(dirname(execPath))
  ].filter((candidate) => typeof candidate === 'string' && candidate.length > 0)
  return candidates.find((candidate) => exists(candidate)) ?? null
}

/**
 * The commands that build the Electron binding in nativeDir, in order of
 * preference: a prebuilt binary, else compiling against Electron's headers.
 */
export function bindingBuildCommands({ root, nativeDir, electronVersion, arch, nodePath, nodeGyp }) {
  const commands = [
    {
      label: 'prebuild-install (prebuilt binary for Electron)',
      command: nodePath,
      args: [join(root, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', arch],
      cwd: nativeDir
    }
  ]
  if (nodeGyp) {
    commands.push({
      label: 'node-gyp rebuild (compiling for Electron)',
      command: nodePath,
      args: [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
      cwd: nativeDir
    })
  }
  return commands
}

/**
 * What `npm start` does. Without the Electron binary: the browser preview on the
 * default database. With it: (re)build the binding if needed, build, launch.
 */
export function planStart({ root, electronBinary, electronVersion, bindingExists, bindingStamp }) {
  if (!electronBinary) return { mode: 'preview', notice: NO_ELECTRON_NOTICE }
  const binding = electronBindingFile(root)
  return {
    mode: 'electron',
    electronBinary,
    rebuildBinding: !bindingExists || bindingStamp !== electronVersion,
    binding,
    env: { TWOFA_ADMIN_SQLITE_BINDING: binding }
  }
}
