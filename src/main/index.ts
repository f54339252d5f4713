// The Electron bootstrap, kept thin: lifecycle, the one window, hardening and
// wiring. Every decision lives in a tested module under ./electron or ./ipc.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron'
import { AppError } from '../shared/errors'
import { sessionCaller } from './core/caller'
import type { Dispatch } from './core/dispatch'
import { keyFilePath, wrappedKeyFilePath, type KeyProvider } from './core/crypto/keys'
import { openCore, type Core } from './core/open-core'
import { keyCheckValue } from './core/crypto/secrets'
import { APP_ENTRY_URL, APP_SCHEME, isTrustedUrl, trustedOrigins } from './electron/app-origin'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './electron/app-protocol'
import { APP_NAME, desktopDatabasePath, desktopKeyProvider, nativeBindingFor } from './electron/desktop-config'
import { hardenSession, hardenWebContents } from './electron/hardening'
import { wireHistoryCommands } from './electron/history-commands'
import { saveDialogDestination } from './electron/export-dialog'
import { applicationMenuTemplate, createBackupAction, createRestoreAction, existingKeyCheck, type Dialogs, type MaintenanceDeps } from './electron/menu'
import { damagedDialog, scheduleStartupIntegrityCheck } from './electron/startup-check'
import { mainWindowOptions } from './electron/window-options'
import { isTrustedSender, WindowSessions } from './ipc/ipc-handler'
import { registerIpc } from './ipc/register-ipc'

app.setName(APP_NAME)
// Must happen before 'ready': gives app:// a real, secure origin of its own.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

// The Vite dev server is trusted only in development; an environment variable
// must never make an installed app load a page from elsewhere.
const devRendererUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const origins = trustedOrigins(devRendererUrl)

let mainWindow: BrowserWindow | null = null
let mainWebContentsId: number | undefined
let core: Core | null = null
let keyProvider: KeyProvider | null = null

/** Electron's dialogs, on the main window when there is one. */
const dialogs: Dialogs = {
  showSaveDialog: (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
  showOpenDialog: (options) => (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options)),
  showMessageBox: (options) => (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options))
}

function reportUnexpected(method: string, error: unknown): void {
  // The error only: payloads may hold passwords and codes.
  console.error(`2FA Admin: unexpected error in ${method}:`, error)
}

function createWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js'), join(app.getAppPath(), 'resources', 'icon.png')))
  mainWindow = window
  mainWebContentsId = window.webContents.id
  // Back and Forward keys (Windows' app commands) walk the app's places.
  wireHistoryCommands(window, window.webContents.navigationHistory)
  window.once('ready-to-show', () => {
    window.show()
    // After the first screen, never before it: a large directory takes a moment to check.
    void scheduleStartupIntegrityCheck({
      core: () => core,
      defer: (run) => setTimeout(run, 0),
      log: (message) => console.error(message),
      showDamaged: (report) => {
        const { title, message, detail } = damagedDialog(report)
        void dialog.showMessageBox(window, { type: 'error', title, message, detail })
      }
    })
  })
  window.on('closed', () => {
    mainWindow = null
    mainWebContentsId = undefined
  })
  void window.loadURL(devRendererUrl ?? APP_ENTRY_URL)
}

function openDirectory(): Core {
  const dbPath = desktopDatabasePath(app.getPath('userData'), process.env)
  mkdirSync(dirname(dbPath), { recursive: true })
  const nativeBinding = nativeBindingFor(app.getAppPath(), process.env)
  // A weak protection of the secrets key must reach the admin, not just a terminal: the
  // core hands these to signed-in administrators, and the screens show them as a banner.
  const warnings: string[] = []
  keyProvider = desktopKeyProvider(dbPath, safeStorage, process.platform, (message) => {
    console.warn(message)
    warnings.push(message)
  })
  return openCore({
    dbPath,
    keyProvider,
    warnings,
    nativeBinding,
    // Bundled beside this file by electron-vite (electron.vite.config.ts): long checks run in worker threads.
    backgroundWorker: join(__dirname, 'background-worker.js'),
    // Exports from the Users and Audit log screens are saved where the save dialog says.
    exportDestination: saveDialogDestination({ dialogs, documentsDir: app.getPath('documents') }),
    // The directory sync runs on its schedule (when one is set) while the app is open.
    scheduleDirectorySync: true,
    // The 2FA distribution of each day is recorded for the trend on Account > Security.
    recordDistributionHistory: true,
    onUnexpectedError: reportUnexpected
  })
}

function start(): void {
  hardenSession(session.defaultSession, origins)
  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(__dirname, '../renderer')))
  try {
    core = openDirectory()
  } catch (error) {
    const detail = error instanceof AppError ? error.message : `${(error as Error).message ?? error}`
    dialog.showErrorBox('2FA Admin cannot open its user directory', detail)
    app.exit(1)
    return
  }
  const dbPath = core.dbPath
  const windowSessions = new WindowSessions((holder) => {
    // A closed window signs its user out rather than leaving the session to time out
    // (not while quitting: the core is closed by then).
    if (holder.sessionId !== null && core !== null) void core.dispatch('logout', sessionCaller(holder), {})
  })
  // Through whichever core is open: a restore closes it and opens the restored file.
  const dispatch = ((method, caller, payload) =>
    core !== null ? core.dispatch(method, caller, payload) : Promise.resolve(DIRECTORY_CLOSED)) as Dispatch
  registerIpc(ipcMain, {
    dispatch,
    isTrustedSender: (event) =>
      isTrustedSender(event, { mainWebContentsId: () => mainWebContentsId, isTrustedUrl: (url) => isTrustedUrl(url, origins) }),
    holderFor: (sender) => windowSessions.holderFor(sender),
    onUnexpectedError: reportUnexpected
  })
  createWindow()
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(process.platform, maintenanceActions(dbPath))))
}

const DIRECTORY_CLOSED = {
  ok: false,
  error: { code: 'DATABASE_BUSY', message: 'The user directory is being restored. Try again in a moment.' }
} as const

/** File > Back Up Directory… and Restore from Backup…, over the same core functions as the CLI. */
function maintenanceActions(dbPath: string): { backup(): void; restore(): void } {
  const nativeBinding = nativeBindingFor(app.getAppPath(), process.env)
  const deps: MaintenanceDeps = {
    dialogs,
    directory: {
      dbPath,
      isOpen: () => core !== null,
      backup: (destination, options, onProgress) => {
        if (core === null) throw new AppError('DATABASE_BUSY', 'The user directory is being restored. Try again in a moment.')
        return core.local.backup(destination, options, onProgress)
      },
      prepareRestore: (backupFile, options, onProgress) => {
        if (core === null) throw new AppError('DATABASE_BUSY', 'The user directory is being restored. Try again in a moment.')
        return core.local.prepareRestore(backupFile, options, onProgress)
      },
      tasksRunning: () => core?.backgroundTasksRunning() ?? 0,
      close: () => {
        core?.close()
        core = null
      },
      reopen: () => {
        core = openDirectory()
      },
      keyCheck: () =>
        existingKeyCheck([keyFilePath(dbPath), wrappedKeyFilePath(dbPath)], existsSync, () => keyProvider!.getDataKey(), keyCheckValue)
    },
    documentsDir: app.getPath('documents'),
    now: () => Date.now(),
    // The restored directory has no sessions: the screens start again at sign-in.
    reloadWindow: () => mainWindow?.webContents.reload(),
    // Electron: a value above 1 shows an indeterminate bar, a negative one removes it.
    showProgress: (progress) => mainWindow?.setProgressBar(progress === null ? -1 : progress === 'busy' ? 2 : progress),
    nativeBinding
  }
  const backup = createBackupAction(deps)
  const restore = createRestoreAction(deps)
  return { backup: () => void backup(), restore: () => void restore() }
}

if (!app.requestSingleInstanceLock()) {
  // Two processes writing the same directory would fight over it: hand over to the first one.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origins))
  // The window is the app: closing it quits, also on macOS, so the database is closed cleanly.
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    core?.close()
    core = null
  })
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('2FA Admin could not start:', error)
      app.exit(1)
    })
}
