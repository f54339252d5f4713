// Where the browser preview keeps the screens' exports until the browser has
// them: a private folder of this run (owner-only), one file per export, named
// by its id. The core writes each there (CoreOptions.exportDestination) and puts
// it in place once complete; the server then hands it once to the browser tab
// whose session made it (GET /downloads/<id>, preview-server.ts) and deletes it.
// A file nobody fetches is deleted after a while, and all of them at stop.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { downloadPath } from '../shared/transport'
import type { ChooseExportDestination } from '../main/core/export/destination'
import { EXPORT_CONTENT_TYPE, EXPORT_EXTENSION } from '../main/core/export/encoding'

/** How long a finished export waits for its download. */
export const DOWNLOAD_WAIT_MS = 10 * 60 * 1000

export interface DownloadFile {
  path: string
  /** The name the browser saves it under. */
  fileName: string
  contentType: string
}

interface Entry extends DownloadFile {
  ready: boolean
  timer?: ReturnType<typeof setTimeout>
}

export class ExportDownloads {
  private folder: string | null = null
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly options: { waitMs?: number; parentDir?: string } = {}) {}

  /** For CoreOptions.exportDestination: every export goes to this run's folder. */
  readonly destination: ChooseExportDestination = async (request) => {
    const path = join(this.directory(), `${request.exportId}.${EXPORT_EXTENSION[request.format]}`)
    this.entries.set(request.exportId, { path, fileName: request.suggestedName, contentType: EXPORT_CONTENT_TYPE[request.format], ready: false })
    return {
      path,
      shownAs: request.suggestedName,
      // A fresh file in a folder of our own: nothing is there to replace.
      overwrite: false,
      download: downloadPath(request.exportId),
      settled: (outcome) => {
        const entry = this.entries.get(request.exportId)
        if (entry === undefined) return
        if (outcome === 'failed') return this.remove(request.exportId)
        entry.ready = true
        entry.timer = setTimeout(() => this.remove(request.exportId), this.options.waitMs ?? DOWNLOAD_WAIT_MS)
        entry.timer.unref()
      }
    }
  }

  /** The finished file of this export, if it is still waiting for its download. */
  ready(exportId: string): DownloadFile | null {
    const entry = this.entries.get(exportId)
    return entry?.ready ? { path: entry.path, fileName: entry.fileName, contentType: entry.contentType } : null
  }

  /** Hands the file out once: it is no longer offered; whoever took it deletes it once sent (remove). */
  take(exportId: string): DownloadFile | null {
    const file = this.ready(exportId)
    if (file === null) return null
    clearTimeout(this.entries.get(exportId)?.timer)
    this.entries.delete(exportId)
    return file
  }

  /** Deletes the file (it was downloaded, or waited too long). */
  remove(exportId: string): void {
    const entry = this.entries.get(exportId)
    if (entry === undefined) return
    clearTimeout(entry.timer)
    this.entries.delete(exportId)
    rmSync(entry.path, { force: true })
  }

  /** Deletes a file handed out by take(), once sent (or once sending failed). */
  discard(file: DownloadFile): void {
    rmSync(file.path, { force: true })
  }

  /** At stop: every file and the folder go. */
  close(): void {
    for (const entry of this.entries.values()) clearTimeout(entry.timer)
    this.entries.clear()
    if (this.folder !== null) rmSync(this.folder, { recursive: true, force: true })
    this.folder = null
  }

  private directory(): string {
    // mkdtemp makes the folder readable by its owner only (0700).
    this.folder ??= mkdtempSync(join(this.options.parentDir ?? tmpdir(), 'twofa-preview-exports-'))
    return this.folder
  }
}
