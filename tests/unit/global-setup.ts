// Builds the CLI and preview bundles once before the unit tests that spawn them.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

export default function setup(): void {
  const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-node.mjs'), '--quiet'], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error('Building the CLI bundle failed.')
}
