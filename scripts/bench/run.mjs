#!/usr/bin/env node
// `npm run bench`: bundles scripts/bench/bench.ts (and the core it measures)
// with esbuild into out/bench/, builds the CLI it times, then runs the bench
// with the arguments given (see bench.ts, or `npm run bench -- --help`).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { buildNode, ROOT } from '../build-node.mjs'

const outfile = join(ROOT, 'out', 'bench', 'bench.js')
await buildNode({ quiet: true })
await build({
  absWorkingDir: ROOT,
  entryPoints: [join(ROOT, 'scripts', 'bench', 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning'
})
// A child process, so the bench's event loop and heap hold nothing of the build.
const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT })
process.exit(result.status ?? 1)
