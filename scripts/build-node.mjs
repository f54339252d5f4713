#!/usr/bin/env node
// Bundles the Node adapters (the CLI and the browser preview) with esbuild:
// src/cli/index.ts -> out/cli/index.js, src/server/serve.ts -> out/server/serve.js,
// and the background worker they start threads from -> out/background/worker.js.
// Dependencies stay external and load from node_modules at run time.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export const NODE_ENTRIES = [
  { source: 'src/cli/index.ts', output: 'out/cli/index.js' },
  { source: 'src/server/serve.ts', output: 'out/server/serve.js' },
  { source: 'src/main/core/background/worker.ts', output: 'out/background/worker.js' }
]

/**
 * Writes a file only when its content changed, through a rename, so a process
 * that loads the bundle at the same moment (a CLI test, a second `npm run serve`)
 * never reads a half-written file.
 */
function writeIfChanged(path, contents) {
  try {
    if (Buffer.compare(readFileSync(path), contents) === 0) {
      // Up to date: only its time moves, so bin/twofa-admin.cjs sees it as fresh.
      const now = new Date()
      utimesSync(path, now, now)
      return
    }
  } catch {
    // Not there yet.
  }
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, contents)
  renameSync(temporary, path)
}

export async function buildNode({ quiet = false } = {}) {
  const started = Date.now()
  for (const entry of NODE_ENTRIES) {
    const result = await build({
      write: false,
      absWorkingDir: ROOT,
      entryPoints: [join(ROOT, entry.source)],
      outfile: join(ROOT, entry.output),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      packages: 'external',
      logLevel: quiet ? 'error' : 'warning'
    })
    for (const file of result.outputFiles) writeIfChanged(file.path, Buffer.from(file.contents))
  }
  if (!quiet) console.log(`Built ${NODE_ENTRIES.map((entry) => entry.output).join(', ')} in ${Date.now() - started} ms.`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--quiet')
  if (unknown.length > 0) {
    console.error(`Unknown option "${unknown[0]}". Usage: node scripts/build-node.mjs [--quiet]`)
    process.exit(2)
  }
  buildNode({ quiet: process.argv.includes('--quiet') }).catch((error) => {
    // esbuild has already printed the details.
    console.error(`Build of the CLI and preview failed: ${error.message.split('\n')[0]}`)
    process.exit(1)
  })
}
