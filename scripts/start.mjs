#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed; otherwise
// one line saying so, then the browser preview on the default database.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './build-node.mjs'
import { runPreview } from './serve.mjs'
import {
  bindingBuildCommands,
  electronBindingStampFile,
  electronNativeDir,
  findElectronBinary,
  findNodeGyp,
  planStart
} from './start-plan.mjs'

const electronDir = join(ROOT, 'node_modules', 'electron')

function readOptional(path) {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null
}

function npmGlobalPrefix() {
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['prefix', '-g'], { encoding: 'utf8', shell: process.platform === 'win32' })
  return result.status === 0 ? result.stdout.trim() : null
}

function buildElectronBinding(electronVersion) {
  const nativeDir = electronNativeDir(ROOT)
  console.log(`Building better-sqlite3 for Electron ${electronVersion} in ${nativeDir} (once; needs internet)...`)
  rmSync(nativeDir, { recursive: true, force: true })
  mkdirSync(nativeDir, { recursive: true })
  // A copy without the Node build, so `npm test` keeps its Node-ABI binding.
  const source = join(ROOT, 'node_modules', 'better-sqlite3')
  cpSync(source, nativeDir, { recursive: true, filter: (path) => path !== join(source, 'build') })
  const commands = bindingBuildCommands({
    root: ROOT,
    nativeDir,
    electronVersion,
    arch: process.arch,
    nodePath: process.execPath,
    nodeGyp: findNodeGyp({ env: process.env, execPath: process.execPath, npmGlobalPrefix: npmGlobalPrefix(), exists: existsSync })
  })
  for (const step of commands) {
    console.log(`  trying ${step.label}`)
    const result = spawnSync(step.command, step.args, { cwd: step.cwd, stdio: 'inherit' })
    if (result.status === 0 && existsSync(join(nativeDir, 'build', 'Release', 'better_sqlite3.node'))) {
      writeFileSync(electronBindingStampFile(ROOT), electronVersion + '\n')
      return
    }
  }
  throw new Error('Could not build better-sqlite3 for Electron: no prebuilt binary was found and compiling failed (see above). Check the internet connection and that a C++ toolchain is installed.')
}

function runElectron(plan) {
  const viteBuild = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (viteBuild.status !== 0) return Promise.resolve(viteBuild.status ?? 1)
  const env = { ...process.env, ...plan.env }
  // Set by some tools; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE
  return new Promise((resolveExit) => {
    const child = spawn(plan.electronBinary, ['.'], { cwd: ROOT, stdio: 'inherit', env })
    const forward = (signal) => () => child.kill(signal)
    const onInt = forward('SIGINT')
    const onTerm = forward('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    child.on('error', (error) => {
      console.error(`Could not start Electron: ${error.message}`)
      resolveExit(1)
    })
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolveExit(code ?? (signal ? 0 : 1))
    })
  })
}

async function start(args) {
  const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
  const plan = planStart({
    root: ROOT,
    electronBinary: findElectronBinary({ electronDir, env: process.env, readText: (path) => readFileSync(path, 'utf8'), exists: existsSync }),
    electronVersion,
    bindingExists: existsSync(join(electronNativeDir(ROOT), 'build', 'Release', 'better_sqlite3.node')),
    bindingStamp: readOptional(electronBindingStampFile(ROOT))
  })
  if (plan.mode === 'preview') {
    console.log(plan.notice)
    return runPreview(args)
  }
  if (plan.rebuildBinding) buildElectronBinding(electronVersion)
  return runElectron(plan)
}

start(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error.message)
    process.exit(1)
  }
)
