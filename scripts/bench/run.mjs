#!/usr/bin/env node
// `npm run bench`: bundles scripts/bench/bench.ts (and the core it measures)
// with esbuild into out/bench/, builds the CLI it times, then runs the bench
// with the arguments given (see bench.ts, or `npm run bench -- --help`), then
// the browser part (scripts/bench/browser.mjs). `--browser` runs only the
// browser part, `--no-browser` only the service part; `--browser-sizes 10000,1000000`
// and `--browser-runs N` tune the browser part.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { buildNode, ROOT } from '../build-node.mjs'
import { browserOptions, runBrowserBench } from './browser.mjs'

const argv = process.argv.slice(2)
const browserOnly = argv.includes('--browser')
const withBrowser = browserOnly || !argv.includes('--no-browser')
// The service bench is given only its own options.
const serviceArgs = []
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--browser' || argv[i] === '--no-browser') continue
  if (argv[i] === '--browser-sizes' || argv[i] === '--browser-runs') {
    i++
    continue
  }
  serviceArgs.push(argv[i])
}

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
if (!browserOnly) {
  // A child process, so the bench's event loop and heap hold nothing of the build.
  const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...serviceArgs], { stdio: 'inherit', cwd: ROOT })
  if (result.status !== 0 || serviceArgs.includes('--help')) process.exit(result.status ?? 1)
}
if (withBrowser) await runBrowserBench(browserOptions(argv))
