// Starts the real browser preview (`out/server/serve.js`, what `npm run serve`
// runs) on a fresh temporary database, and the real CLI beside it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..', '..', '..')

export interface Preview {
  /** The printed address, with the secret in the fragment. */
  url: string
  origin: string
  dbPath: string
  dir: string
  cli(args: string[], stdin?: string): { code: number; stdout: string; stderr: string }
  /** Everything the preview process printed so far, stdout and stderr: what a log would hold. */
  output(): string
  stop(): Promise<void>
}

export interface PreviewOptions {
  /** Extra environment for the preview process (TWOFA_ADMIN_REAUTH_WINDOW_MS, which can only shorten the window). */
  env?: Record<string, string>
}

export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const dir = mkdtempSync(join(tmpdir(), 'twofa-e2e-'))
  const dbPath = join(dir, 'directory.db')
  const child = spawn(process.execPath, [join(ROOT, 'out', 'server', 'serve.js'), '--db', dbPath, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let printed = ''
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  const url = await waitForUrl(child)
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGINT')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    url,
    origin: new URL(url).origin,
    dbPath,
    dir,
    stop,
    output: () => printed,
    cli(args, stdin) {
      const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', dbPath, ...args], {
        input: stdin ?? '',
        encoding: 'utf8'
      })
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
    }
  }
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`The preview did not print its address in time.\n${out}\n${err}`)), 30_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolveUrl(match[0])
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The preview exited with ${code}.\n${out}\n${err}`))
    })
  })
}
