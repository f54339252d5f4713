// What a command reads and writes: standard output with backpressure (a long
// listing never piles up in memory when the reader is slow), standard error,
// standard input for secrets, and the environment. Tests pass their own.
export interface CliIo {
  /** Writes to standard output; a returned promise resolves when the output can take more. */
  stdout: (text: string) => void | Promise<void>
  stderr: (text: string) => void
  /** Reads all of standard input; null when it is a terminal (nothing piped). */
  readStdin: () => Promise<string | null>
  env: NodeJS.ProcessEnv
  /** Standard error is a terminal: a person watches, so long work shows its progress there. */
  interactive?: boolean
}

/** The reader of standard output went away (`twofa-admin user list | head -1`): stop quietly, exit 0. */
export class OutputClosed extends Error {
  constructor() {
    super('standard output was closed')
  }
}

export function processIo(): CliIo {
  let closed = false
  const wakeUps = new Set<() => void>()
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed = true
    for (const wake of wakeUps) wake()
  })
  return {
    stdout: async (text) => {
      if (closed) throw new OutputClosed()
      if (!process.stdout.write(text)) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            wakeUps.delete(wake)
            process.stdout.off('drain', wake)
            resolve()
          }
          wakeUps.add(wake)
          process.stdout.once('drain', wake)
        })
      }
      if (closed) throw new OutputClosed()
    },
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    interactive: process.stderr.isTTY === true,
    readStdin: async () => {
      if (process.stdin.isTTY) return null
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    }
  }
}
