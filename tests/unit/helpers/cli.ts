// Runs twofa-admin in-process on a temporary database, capturing its output.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main, type CliIo } from '../../../src/cli/index'

export interface CliRun {
  code: number
  out: string
  err: string
}

export class CliSandbox {
  readonly dir: string
  readonly db: string

  constructor(prefix = 'twofa-cli-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix))
    this.db = join(this.dir, 'directory.db')
  }

  /** Runs one command with TWOFA_ADMIN_DB pointing at this sandbox's database; `stdin` null means a terminal. */
  async run(args: string[], stdin: string | null = null): Promise<CliRun> {
    let out = ''
    let err = ''
    const io: CliIo = { stdout: (t) => {
      out += t
    }, stderr: (t) => (err += t), readStdin: async () => stdin, env: { TWOFA_ADMIN_DB: this.db } }
    const code = await main(args, io)
    return { code, out, err }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
