// The test suites' throwaway OpenLDAP server (tests/unit/helpers/slapd.ts), for
// the screenshot script: bundled with esbuild into `dir` and loaded from there.
import { build } from 'esbuild'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../build-node.mjs'

/** Resolves to the helper's module: { startSlapd, stopAllSlapd, slapdInstalled }. */
export async function loadSlapd(dir) {
  const outfile = join(dir, 'slapd-helper.mjs')
  await build({ entryPoints: [join(ROOT, 'tests', 'unit', 'helpers', 'slapd.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' })
  return import(pathToFileURL(outfile).href)
}
