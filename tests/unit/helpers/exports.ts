// Exports in tests: a destination that saves into a folder (as a save dialog
// would, or cancels), and waiting for an export to finish as the screens do.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ExportJob } from '../../../src/shared/contract'
import type { ChooseExportDestination, ExportRequest } from '../../../src/main/core/export/destination'
import type { Screen } from './harness'

export interface FolderDestination {
  choose: ChooseExportDestination
  /** Every request the core made, in order. */
  asked: ExportRequest[]
  /** The next answer: save under this name in the folder (the suggested name when absent), or cancel. */
  next: { cancel?: boolean; name?: string; overwrite?: boolean; beforeAnswer?: () => void | Promise<void> }
}

/** The name, or the name with " (2)", " (3)" ... before its extension, whichever is free: as browsers name downloads. */
function freePath(folder: string, name: string): string {
  const dot = name.lastIndexOf('.')
  for (let n = 1; ; n++) {
    const path = join(folder, n === 1 ? name : `${name.slice(0, dot)} (${n})${name.slice(dot)}`)
    if (!existsSync(path)) return path
  }
}

export function folderDestination(folder: () => string): FolderDestination {
  const destination: FolderDestination = {
    asked: [],
    next: {},
    choose: async (request) => {
      destination.asked.push(request)
      const { cancel, name, overwrite, beforeAnswer } = destination.next
      await beforeAnswer?.()
      if (cancel) return null
      const path = name === undefined ? freePath(folder(), request.suggestedName) : join(folder(), name)
      return { path, shownAs: path, overwrite: overwrite ?? false }
    }
  }
  return destination
}

/** Asks getExport until the export has ended, as the screens do; every answer on the way, the last one last. */
export async function waitForExport(screen: Screen, started: ExportJob, timeoutMs = 30_000): Promise<ExportJob[]> {
  const seen = [started]
  const deadline = Date.now() + timeoutMs
  let job = started
  while (job.state === 'running') {
    if (Date.now() > deadline) throw new Error(`export ${job.exportId} still running after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    job = await screen.ok('getExport', { exportId: job.exportId as string })
    seen.push(job)
  }
  return seen
}
