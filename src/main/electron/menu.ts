// The application menu: File > Back Up Directory… and Restore from Backup…,
// over the same core functions as `twofa-admin backup` and `restore`. Built
// from plain functions and injected dialogs so it can be tested without
// Electron. There is no View menu: no reload and no developer tools.
import { join } from 'node:path'
import type { MenuItemConstructorOptions, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron'
import { AppError } from '../../shared/errors'
import type { TaskProgress } from '../core/background/runner'
import type { BackupResult } from '../core/maintenance/backup'
import { backupCheckSummary, commitRestore, type PreparedRestore } from '../core/maintenance/restore'

export interface MenuActions {
  backup(): void
  restore(): void
}

export function applicationMenuTemplate(platform: NodeJS.Platform, actions: MenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions[] = [
    { id: 'backup', label: 'Back Up Directory…', click: () => actions.backup() },
    { id: 'restore', label: 'Restore from Backup…', click: () => actions.restore() }
  ]
  if (platform !== 'darwin') file.push({ type: 'separator' }, { role: 'quit' })
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { label: 'File', submenu: file },
    // Cut, copy and paste in the text fields (on macOS they work only through a menu).
    { role: 'editMenu' },
    { role: 'windowMenu' }
  ]
}

/** The parts of Electron's dialog module the actions use, bound to the main window. */
export interface Dialogs {
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>
}

/** The open directory, as the bootstrap holds it. */
export interface DirectoryControl {
  readonly dbPath: string
  /** Whether the core is open (it is closed for a moment during a restore). */
  isOpen(): boolean
  /** A checked backup of the open directory (the core's own, as `twofa-admin backup`). */
  backup(destination: string, options: { overwrite: boolean }, onProgress: (progress: TaskProgress) => void): Promise<BackupResult>
  /** Checks a backup (off the window's thread) and stages a copy to restore. */
  prepareRestore(backupFile: string, options: { keyCheck: string | undefined }, onProgress: (progress: TaskProgress) => void): Promise<PreparedRestore>
  /** How many background tasks of the open core are under way (an import, a bulk change, a sync, an export, a check). */
  tasksRunning(): number
  close(): void
  /** Opens the core again on dbPath; throws when it cannot. */
  reopen(): void
  /** The key check value of the key beside the database, when there is one. */
  keyCheck(): string | undefined
}

export interface MaintenanceDeps {
  dialogs: Dialogs
  directory: DirectoryControl
  /** Where the save dialog starts (the user's Documents folder). */
  documentsDir: string
  now(): number
  /** After a restore: show the sign-in screen of the restored directory. */
  reloadWindow(): void
  /** The window's progress bar (the taskbar or dock): a fraction, 'busy' while the total is unknown, null when done. */
  showProgress(progress: number | 'busy' | null): void
  nativeBinding?: string
}

const BACKUP_FILTERS = [
  { name: '2FA Admin backup', extensions: ['db'] },
  { name: 'All files', extensions: ['*'] }
]

function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : `${(error as Error)?.message ?? String(error)}`
}

export function defaultBackupName(now: number): string {
  return `2FA Admin backup ${new Date(now).toISOString().slice(0, 10)}.db`
}

/** Runs a background task with its progress on the window's progress bar, cleared when it ends however it ends. */
async function withProgress<T>(deps: MaintenanceDeps, run: (onProgress: (progress: TaskProgress) => void) => Promise<T>): Promise<T> {
  deps.showProgress('busy')
  try {
    return await run(({ done, total }) => deps.showProgress(total > 0 ? Math.min(1, done / total) : 'busy'))
  } finally {
    deps.showProgress(null)
  }
}

/** One maintenance action at a time: a second click while one runs is ignored. */
function exclusive(run: () => Promise<void>): () => Promise<void> {
  let running = false
  return async () => {
    if (running) return
    running = true
    try {
      await run()
    } finally {
      running = false
    }
  }
}

export function createBackupAction(deps: MaintenanceDeps): () => Promise<void> {
  const { dialogs } = deps
  return exclusive(async () => {
    if (!deps.directory.isOpen()) {
      await dialogs.showMessageBox({ type: 'error', title: 'Backup', message: 'The user directory is not open.' })
      return
    }
    const choice = await dialogs.showSaveDialog({
      title: 'Back Up Directory',
      defaultPath: join(deps.documentsDir, defaultBackupName(deps.now())),
      buttonLabel: 'Back Up',
      filters: BACKUP_FILTERS
    })
    if (choice.canceled || !choice.filePath) return
    try {
      // The save dialog has already asked before replacing a file.
      const result = await withProgress(deps, (onProgress) => deps.directory.backup(choice.filePath as string, { overwrite: true }, onProgress))
      await dialogs.showMessageBox({
        type: 'info',
        title: 'Backup',
        message: 'The backup is saved and checked.',
        detail: `${result.path}\n\nThe secrets key that protects the 2FA secrets is not in the backup. To restore on another computer, also keep an export of the key (twofa-admin key export FILE --passphrase-stdin).`
      })
    } catch (error) {
      await dialogs.showMessageBox({ type: 'error', title: 'Backup', message: 'The backup was not written.', detail: messageOf(error) })
    }
  })
}

export const RESTORE_WHILE_BUSY =
  '2FA Admin is still working in the background (an import, a bulk change, a directory sync, an export or a check). Wait until it has finished, then restore again. Nothing was changed.'

export function createRestoreAction(deps: MaintenanceDeps): () => Promise<void> {
  const { dialogs, directory } = deps
  return exclusive(async () => {
    const choice = await dialogs.showOpenDialog({ title: 'Restore from Backup', buttonLabel: 'Check Backup', properties: ['openFile'], filters: BACKUP_FILTERS })
    const file = choice.filePaths[0]
    if (choice.canceled || file === undefined) return
    // Checked before anything is closed: a bad file changes nothing.
    let prepared: PreparedRestore
    try {
      const keyCheck = directory.keyCheck()
      prepared = await withProgress(deps, (onProgress) => directory.prepareRestore(file, { keyCheck }, onProgress))
    } catch (error) {
      await dialogs.showMessageBox({ type: 'error', title: 'Restore', message: 'This backup cannot be restored.', detail: messageOf(error) })
      return
    }
    const confirm = await dialogs.showMessageBox({
      type: 'warning',
      title: 'Restore',
      message: 'Replace the user directory with this backup?',
      detail: `${file}\nChecked: ${backupCheckSummary(prepared.info)}.\n\nEveryone is signed out. Changes made since the backup are not in it; the current database is kept beside it as ${directory.dbPath}.before-restore-….`,
      buttons: ['Restore', 'Cancel'],
      defaultId: 1,
      cancelId: 1
    })
    if (confirm.response !== 0) {
      prepared.discard()
      return
    }
    // A task under way holds the file open on a connection of its own (a writing one would fail the
    // restore's exclusive lock as "open in another program") and its call would meet the closed
    // core: the restore asks to come back once it is done (checked right before the close).
    if (directory.isOpen() && directory.tasksRunning() > 0) {
      prepared.discard()
      await dialogs.showMessageBox({ type: 'error', title: 'Restore', message: 'The backup was not restored.', detail: RESTORE_WHILE_BUSY })
      return
    }
    directory.close()
    let failure: unknown = null
    let asidePath: string | null = null
    try {
      asidePath = commitRestore(prepared, directory.dbPath, { now: deps.now(), nativeBinding: deps.nativeBinding }).asidePath
    } catch (error) {
      prepared.discard()
      failure = error
    }
    try {
      directory.reopen()
    } catch (error) {
      await dialogs.showMessageBox({ type: 'error', title: 'Restore', message: 'The user directory could not be opened again.', detail: `${messageOf(error)}\n\nQuit 2FA Admin and start it again.` })
      return
    }
    deps.reloadWindow()
    if (failure !== null) {
      await dialogs.showMessageBox({ type: 'error', title: 'Restore', message: 'The backup was not restored.', detail: messageOf(failure) })
      return
    }
    await dialogs.showMessageBox({
      type: 'info',
      title: 'Restore',
      message: 'The backup is restored. Sign in again.',
      detail: asidePath === null ? '' : `The database it replaced is kept as ${asidePath}.`
    })
  })
}

/** The key check value of the key beside the database, without creating a key where there is none. */
export function existingKeyCheck(
  keyFiles: readonly string[],
  exists: (path: string) => boolean,
  dataKey: () => Buffer,
  checkValue: (key: Buffer) => string
): string | undefined {
  return keyFiles.some((path) => exists(path)) ? checkValue(dataKey()) : undefined
}
