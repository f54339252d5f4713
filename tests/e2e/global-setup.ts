// Builds what the browser preview serves, once, unless `npm test` just did.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '..', '..')

export default function setup(): void {
  const steps: [string, string[]][] = [[process.execPath, [join(ROOT, 'scripts', 'build-node.mjs'), '--quiet']]]
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    steps.unshift([process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']])
  }
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed`)
  }
}
