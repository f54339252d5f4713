// Bundles the chaos worker (tests/chaos/support/worker.ts, the real TypeScript
// core) into one CommonJS file that child processes run with plain node, and
// hands its path to the tests. Dependencies stay in node_modules, so the bundle
// lives under node_modules/.cache where `require` finds them.
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import type { TestProject } from 'vitest/node'

const ROOT = resolve(__dirname, '..', '..')

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the bundled worker: `node <path> '<json config>'`. */
    chaosWorker: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = join(ROOT, 'node_modules', '.cache', 'twofa-chaos')
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `worker-${process.pid}-${randomBytes(4).toString('hex')}.cjs`)
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'tests', 'chaos', 'support', 'worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error'
  })
  project.provide('chaosWorker', outfile)
  return () => rmSync(outfile, { force: true })
}
