// Where the desktop app saves an export from the Users or Audit log screen:
// Electron's save dialog on the main window, as File > Back Up Directory… asks
// (menu.ts). The core writes the file in the background and puts it at the
// path chosen only once it is complete; a cancelled dialog changes nothing.
import { join } from 'node:path'
import type { ChooseExportDestination, ExportRequest } from '../core/export/destination'
import type { Dialogs } from './menu'

export interface ExportDialogDeps {
  dialogs: Pick<Dialogs, 'showSaveDialog'>
  /** Where the dialog starts (the user's Documents folder). */
  documentsDir: string
}

const FILTERS: Record<ExportRequest['format'], { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (spreadsheets)', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  jsonl: { name: 'JSON Lines', extensions: ['jsonl'] }
}

const TITLES: Record<ExportRequest['kind'], string> = { users: 'Export Users', audit: 'Export Audit Log' }

export function saveDialogDestination(deps: ExportDialogDeps): ChooseExportDestination {
  return async (request) => {
    const choice = await deps.dialogs.showSaveDialog({
      title: TITLES[request.kind],
      defaultPath: join(deps.documentsDir, request.suggestedName),
      buttonLabel: 'Export',
      filters: [FILTERS[request.format], { name: 'All files', extensions: ['*'] }],
      properties: ['showOverwriteConfirmation', 'createDirectory']
    })
    if (choice.canceled || !choice.filePath) return null
    // The dialog has already asked before replacing a file of that name.
    return { path: choice.filePath, shownAs: choice.filePath, overwrite: true }
  }
}
