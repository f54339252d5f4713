#!/usr/bin/env node
// `npm run serve -- --db FILE [--port N]`: builds what is missing, then runs the
// browser preview in this process (so Ctrl-C reaches its clean shutdown directly).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildNode, ROOT } from './build-node.mjs'

export function ensureRendererBuilt({ quiet = false } = {}) {
  if (existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return
  if (!quiet) console.log('Building the app (electron-vite build)...')
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit'
  })
  if (result.status !== 0) throw new Error('electron-vite build failed; see the messages above.')
}

/** Builds, then runs the preview until Ctrl-C; resolves to the exit code. */
export async function runPreview(args) {
  await buildNode({ quiet: true })
  ensureRendererBuilt()
  const require = createRequire(import.meta.url)
  const serve = require(join(ROOT, 'out', 'server', 'serve.js'))
  return serve.main(args)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runPreview(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error.message)
      process.exit(1)
    }
  )
}
