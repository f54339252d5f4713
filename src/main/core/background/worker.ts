// The worker thread's entry: waits for a task (a WorkerStart message: runner.ts
// starts workers ahead of their tasks and keeps those that answered), runs it
// (tasks.ts) and posts its progress and its outcome; then waits for the next.
// A task about to write posts write-begin and goes on at the host's write-go.
// The runner gives a worker one task at a time. Bundled on its own (out/background/
// worker.js, and out/main/background-worker.js in the desktop app).
import { parentPort } from 'node:worker_threads'
import { runTaskHere, serializeError, type WorkerMessage, type WorkerStart, type WorkerWriteGo } from './runner'

const post = (message: WorkerMessage): void => parentPort?.postMessage(message)
let writeGo: (() => void) | null = null

const beforeWriting = (): Promise<void> =>
  new Promise<void>((go) => {
    writeGo = go
    post({ kind: 'write-begin' })
  })

parentPort?.on('message', (message: WorkerStart | WorkerWriteGo) => {
  if ('kind' in message) {
    const go = writeGo
    writeGo = null
    go?.()
    return
  }
  runTaskHere(message.name, message.input as never, message.database, ({ done, total }) => post({ kind: 'progress', done, total }), beforeWriting).then(
    (value) => post({ kind: 'done', value }),
    (error: unknown) => post({ kind: 'error', error: serializeError(error) })
  )
})
