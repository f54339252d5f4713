// The Electron bootstrap, kept thin: lifecycle, the one window, hardening and
// wiring. Every decision lives in a tested module under ./electron or ./ipc.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron'
import { AppError } from '../shared/errors'
import { sessionCaller } from './core/caller'
import { openCore, type Core } from './core/open-core'
import { APP_ENTRY_URL, APP_SCHEME, isTrustedUrl, trustedOrigins } from './electron/app-origin'
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './electron/app-protocol'
import { APP_NAME, desktopDatabasePath, desktopKeyProvider, nativeBindingFor } from './electron/desktop-config'
import { hardenSession, hardenWebContents } from './electron/hardening'
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

function reportUnexpected(method: string, error: unknown): void {
  // The error only: payloads may hold passwords and codes.
  console.error(`2FA Admin: unexpected error in ${method}:`, error)
}

function createWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js'), join(app.getAppPath(), 'resources', 'icon.png')))
  mainWindow = window
  mainWebContentsId = window.webContents.id
  window.once('ready-to-show', () => window.show())
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
  return openCore({
    dbPath,
    keyProvider: desktopKeyProvider(dbPath, safeStorage, process.platform, (message) => console.warn(message)),
    ...(nativeBinding === undefined ? {} : { nativeBinding }),
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
  const openCoreNow = core
  const windowSessions = new WindowSessions((holder) => {
    // A closed window signs its user out rather than leaving the session to time out
    // (not while quitting: the core is closed by then).
    if (holder.sessionId !== null && core !== null) void core.dispatch('logout', sessionCaller(holder), {})
  })
  registerIpc(ipcMain, {
    dispatch: openCoreNow.dispatch,
    isTrustedSender: (event) =>
      isTrustedSender(event, { mainWebContentsId: () => mainWebContentsId, isTrustedUrl: (url) => isTrustedUrl(url, origins) }),
    holderFor: (sender) => windowSessions.holderFor(sender),
    onUnexpectedError: reportUnexpected
  })
  createWindow()
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
