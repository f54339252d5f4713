// Where a screen's export goes is the transport's to say (CoreOptions.exportDestination):
// the desktop app asks with its save dialog, the browser preview keeps the file
// in a private folder of its own and hands it to the browser as a download.
// The core writes the file there and puts it in place only once complete.
import type { ExportKind } from '../../../shared/contract'
import type { TwoFactorFilter } from '../../../shared/domain'
import { EXPORT_EXTENSION, type ExportFormat } from './encoding'

export interface ExportRequest {
  exportId: string
  kind: ExportKind
  format: ExportFormat
  /** A name to offer, e.g. "2FA Admin users 2026-11-27.csv". */
  suggestedName: string
}

export interface ExportDestination {
  /** Where the finished file goes. */
  path: string
  /** What the screen and the audit log say of it: the path chosen, or the download's name. */
  shownAs: string
  /** Whether a file already at `path` is replaced: only when the person agreed (a save dialog asked). */
  overwrite: boolean
  /** The browser preview: where the browser fetches the finished file. */
  download?: string
  /** Told once the export has ended: the file is in place ('done'), or nothing is there ('failed'). */
  settled?(outcome: 'done' | 'failed'): void
}

/** Asks where an export goes; null when the person cancelled (nothing is written, nothing recorded). */
export type ChooseExportDestination = (request: ExportRequest) => Promise<ExportDestination | null>

/** The name offered for an export made at `now`: what, which status (when filtered), the day. */
export function suggestedExportName(kind: ExportKind, format: ExportFormat, now: number, status?: TwoFactorFilter): string {
  const what = kind === 'users' ? `users${status === undefined ? '' : ` ${status}`}` : 'audit log'
  return `2FA Admin ${what} ${new Date(now).toISOString().slice(0, 10)}.${EXPORT_EXTENSION[format]}`
}
