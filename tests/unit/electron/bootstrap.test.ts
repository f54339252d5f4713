// The thin bootstrap (src/main/index.ts) wired against fake Electron objects:
// the order of lifecycle steps, the window it opens, and what it refuses.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { API_METHODS } from '../../../src/shared/contract'
import { ipcChannel } from '../../../src/shared/transport'
import { BASIC_TEXT_WARNING, NO_KEYCHAIN_WARNING } from '../../../src/main/electron/desktop-config'
import { APP_ENTRY_URL, APP_ORIGIN, trustedOrigins } from '../../../src/main/electron/app-origin'
import type * as Hardening from '../../../src/main/electron/hardening'

type Listener = (...args: unknown[]) => unknown

const fakes = vi.hoisted(() => {
  const state = {
    userData: '',
    lock: true,
    appListeners: new Map<string, (...args: unknown[]) => unknown>(),
    windows: [] as unknown[],
    ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
    resolveReady: (): void => {}
  }
  class FakeBrowserWindow {
    static nextId = 1
    readonly options: unknown
    readonly webContents: { id: number }
    readonly loadURL = vi.fn(async () => {})
    readonly focus = vi.fn()
    readonly restore = vi.fn()
    readonly show = vi.fn()
    readonly isMinimized = vi.fn(() => true)
    readonly once = vi.fn()
    readonly on = vi.fn()
    constructor(options: unknown) {
      this.options = options
      this.webContents = { id: FakeBrowserWindow.nextId++ }
      state.windows.push(this)
    }
  }
  const electron = {
    app: {
      isPackaged: false,
      setName: vi.fn(),
      requestSingleInstanceLock: vi.fn(() => state.lock),
      quit: vi.fn(),
      exit: vi.fn(),
      getPath: vi.fn(() => state.userData),
      getAppPath: vi.fn(() => '/nonexistent-app'),
      on: vi.fn((event: string, listener: (...args: unknown[]) => unknown) => state.appListeners.set(event, listener)),
      whenReady: vi.fn(() => new Promise<void>((resolve) => (state.resolveReady = resolve)))
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
      setApplicationMenu: vi.fn()
    },
    ipcMain: {
      handle: vi.fn((channel: string, listener: (...args: unknown[]) => unknown) => state.ipcHandlers.set(channel, listener)),
      removeHandler: vi.fn()
    },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => false),
      encryptString: vi.fn(),
      decryptString: vi.fn(),
      getSelectedStorageBackend: vi.fn(() => 'unknown')
    },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } }
  }
  const core = {
    dispatch: vi.fn(async () => ({ ok: true, value: 'from core' })),
    close: vi.fn()
  }
  const openCore = vi.fn((_options: unknown) => core)
  // The real hardening, watched: the tests see which origins the bootstrap hands it.
  const hardening = { hardenSession: vi.fn(), hardenWebContents: vi.fn() }
  return { state, electron, core, openCore, hardening, FakeBrowserWindow }
})

vi.mock('electron', () => fakes.electron)
vi.mock('../../../src/main/core/open-core', () => ({ openCore: fakes.openCore }))
vi.mock('../../../src/main/electron/hardening', async (importOriginal) => {
  const actual = await importOriginal<typeof Hardening>()
  fakes.hardening.hardenSession.mockImplementation(actual.hardenSession)
  fakes.hardening.hardenWebContents.mockImplementation(actual.hardenWebContents)
  return { ...actual, ...fakes.hardening }
})

const { state, electron, core, openCore, hardening } = fakes

const ROOT = resolve(__dirname, '..', '..', '..')

async function boot(): Promise<void> {
  await import('../../../src/main/index')
}

async function ready(): Promise<void> {
  state.resolveReady()
  await new Promise((resolve) => setTimeout(resolve, 0))
}

interface FakeWindow {
  options: { webPreferences: Record<string, unknown> }
  webContents: { id: number }
  loadURL: ReturnType<typeof vi.fn>
  focus: ReturnType<typeof vi.fn>
  restore: ReturnType<typeof vi.fn>
  on: ReturnType<typeof vi.fn>
}

type IpcReply = Promise<{ ok: boolean; error?: { code: string } }>

/** Calls a registered IPC channel as a frame showing `url` in the WebContents `senderId`. */
function invoke(method: (typeof API_METHODS)[number], senderId: number, url: string): IpcReply {
  const handler = state.ipcHandlers.get(ipcChannel(method))
  if (!handler) throw new Error(`no IPC handler for ${method}`)
  return handler({ sender: { id: senderId, once: vi.fn() }, senderFrame: { url } }, {}) as IpcReply
}

/** Fake web contents handed to 'web-contents-created'; navigate() says whether a navigation was refused. */
function createdWebContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>()
  const contents = {
    on: vi.fn((event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener)),
    setWindowOpenHandler: vi.fn()
  }
  ;(state.appListeners.get('web-contents-created') as Listener)({}, contents)
  const navigate = (url: string): 'refused' | 'allowed' => {
    const preventDefault = vi.fn()
    listeners.get('will-navigate')?.({ preventDefault }, url)
    return preventDefault.mock.calls.length > 0 ? 'refused' : 'allowed'
  }
  return { contents, navigate }
}

let savedDb: string | undefined
beforeEach(() => {
  vi.resetModules()
  vi.clearAllMocks()
  state.userData = mkdtempSync(join(tmpdir(), 'twofa-userdata-'))
  state.lock = true
  state.appListeners.clear()
  state.ipcHandlers.clear()
  state.windows.length = 0
  savedDb = process.env.TWOFA_ADMIN_DB
  delete process.env.TWOFA_ADMIN_DB
  delete process.env.TWOFA_ADMIN_SQLITE_BINDING
  delete process.env.ELECTRON_RENDERER_URL
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(() => {
  rmSync(state.userData, { recursive: true, force: true })
  if (savedDb !== undefined) process.env.TWOFA_ADMIN_DB = savedDb
  vi.restoreAllMocks()
})

describe('Electron bootstrap', () => {
  it('names the app and registers app:// as privileged before ready', async () => {
    await boot()
    expect(electron.app.setName).toHaveBeenCalledWith('2FA Admin')
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })
    ])
    // Nothing else happens until Electron is ready.
    expect(openCore).not.toHaveBeenCalled()
    expect(state.windows).toHaveLength(0)
  })

  it('quits at once when another instance holds the lock', async () => {
    state.lock = false
    await boot()
    expect(electron.app.quit).toHaveBeenCalled()
    expect(electron.app.whenReady).not.toHaveBeenCalled()
  })

  it('on ready: hardens the session, serves app://, opens the directory in userData, registers IPC, opens one isolated window', async () => {
    await boot()
    await ready()
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled()
    expect(electron.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled()
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function))
    expect(openCore).toHaveBeenCalledWith(expect.objectContaining({ dbPath: join(state.userData, 'twofa-admin.db') }))
    expect((openCore.mock.calls[0]?.[0] as { nativeBinding?: string } | undefined)?.nativeBinding).toBeUndefined()
    expect([...state.ipcHandlers.keys()].sort()).toEqual(API_METHODS.map((method) => ipcChannel(method)).sort())
    expect(state.windows).toHaveLength(1)
    const window = state.windows[0] as FakeWindow
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(String(window.options.webPreferences.preload)).toMatch(/preload[\\/]index\.js$/)
    expect(window.loadURL).toHaveBeenCalledWith('app://twofa-admin/index.html')
  })

  it('uses TWOFA_ADMIN_DB and TWOFA_ADMIN_SQLITE_BINDING when set', async () => {
    process.env.TWOFA_ADMIN_DB = join(state.userData, 'elsewhere', 'x.db')
    process.env.TWOFA_ADMIN_SQLITE_BINDING = '/opt/electron/better_sqlite3.node'
    await boot()
    await ready()
    expect(openCore).toHaveBeenCalledWith(
      expect.objectContaining({ dbPath: join(state.userData, 'elsewhere', 'x.db'), nativeBinding: '/opt/electron/better_sqlite3.node' })
    )
    delete process.env.TWOFA_ADMIN_SQLITE_BINDING
  })

  it('routes IPC from the main window to the core, and refuses other senders', async () => {
    await boot()
    await ready()
    const window = state.windows[0] as FakeWindow
    const handler = state.ipcHandlers.get(ipcChannel('getAppState'))
    const sender = { id: window.webContents.id, once: vi.fn() }
    await expect(handler?.({ sender, senderFrame: { url: 'app://twofa-admin/index.html' } }, {})).resolves.toEqual({ ok: true, value: 'from core' })
    await expect(handler?.({ sender, senderFrame: { url: 'https://evil.example/' } }, {})).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await expect(
      handler?.({ sender: { id: 999, once: vi.fn() }, senderFrame: { url: 'app://twofa-admin/index.html' } }, {})
    ).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(core.dispatch).toHaveBeenCalledTimes(1)
  })

  it('focuses the existing window when a second instance starts, and closes the core on quit', async () => {
    await boot()
    await ready()
    const window = state.windows[0] as FakeWindow
    ;(state.appListeners.get('second-instance') as Listener)()
    expect(window.restore).toHaveBeenCalled()
    expect(window.focus).toHaveBeenCalled()
    ;(state.appListeners.get('will-quit') as Listener)()
    expect(core.close).toHaveBeenCalledTimes(1)
  })

  it('hardens every web contents that is created, with the trusted origins', async () => {
    await boot()
    const { contents, navigate } = createdWebContents()
    expect(hardening.hardenWebContents).toHaveBeenCalledTimes(1)
    expect(hardening.hardenWebContents).toHaveBeenCalledWith(contents, [APP_ORIGIN])
    expect(contents.setWindowOpenHandler).toHaveBeenCalled()
    expect(navigate('app://twofa-admin/index.html')).toBe('allowed')
    expect(navigate('https://evil.example/')).toBe('refused')
  })

  it('hands the hardening and the IPC check the app:// origin only, when no dev server is set', async () => {
    await boot()
    await ready()
    expect(hardening.hardenSession).toHaveBeenCalledTimes(1)
    expect(hardening.hardenSession).toHaveBeenCalledWith(electron.session.defaultSession, trustedOrigins(undefined))
    expect(hardening.hardenSession.mock.calls[0]?.[1]).toEqual([APP_ORIGIN])
    const { contents } = createdWebContents()
    expect(hardening.hardenWebContents).toHaveBeenCalledWith(contents, [APP_ORIGIN])
    expect((state.windows[0] as FakeWindow).loadURL).toHaveBeenCalledWith(APP_ENTRY_URL)
  })

  it('in development trusts the dev server it loads, and no other port or host', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/'
    await boot()
    await ready()
    const devOrigins = trustedOrigins('http://localhost:5173/')
    expect(devOrigins).toEqual([APP_ORIGIN, 'http://localhost:5173'])
    expect(hardening.hardenSession).toHaveBeenCalledWith(electron.session.defaultSession, devOrigins)
    const { contents, navigate } = createdWebContents()
    expect(hardening.hardenWebContents).toHaveBeenCalledWith(contents, devOrigins)
    expect(navigate('http://localhost:5173/index.html')).toBe('allowed')
    expect(navigate('http://localhost:5174/')).toBe('refused')
    const window = state.windows[0] as FakeWindow
    expect(window.loadURL).toHaveBeenCalledWith('http://localhost:5173/')
    await expect(invoke('getAppState', window.webContents.id, 'http://localhost:5173/')).resolves.toEqual({ ok: true, value: 'from core' })
    await expect(invoke('getAppState', window.webContents.id, 'http://localhost:5174/')).resolves.toMatchObject({ error: { code: 'FORBIDDEN' } })
    await expect(invoke('getAppState', window.webContents.id, 'http://127.0.0.1:5173/')).resolves.toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(core.dispatch).toHaveBeenCalledTimes(1)
  })

  it('refuses IPC on every channel from another WebContents or another origin, and from the window once it is closed', async () => {
    await boot()
    await ready()
    const window = state.windows[0] as FakeWindow
    for (const method of API_METHODS) {
      await expect(invoke(method, window.webContents.id + 1, APP_ENTRY_URL), method).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      await expect(invoke(method, window.webContents.id, 'https://evil.example/'), method).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      await expect(invoke(method, window.webContents.id, 'app://evil/index.html'), method).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(core.dispatch).not.toHaveBeenCalled()
    await expect(invoke('getAppState', window.webContents.id, APP_ENTRY_URL)).resolves.toEqual({ ok: true, value: 'from core' })
    const closed = window.on.mock.calls.find((call) => call[0] === 'closed')?.[1] as Listener | undefined
    expect(closed).toBeDefined()
    closed?.()
    await expect(invoke('getAppState', window.webContents.id, APP_ENTRY_URL)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(core.dispatch).toHaveBeenCalledTimes(1)
  })

  it('gives the core the background worker bundled beside the main bundle', async () => {
    await boot()
    await ready()
    const options = openCore.mock.calls[0]?.[0] as { backgroundWorker?: string }
    // index.ts resolves it from its own folder: src/main here, out/main once built.
    expect(options.backgroundWorker).toBe(join(ROOT, 'src', 'main', 'background-worker.js'))
    // electron-vite writes every main entry as out/main/<name>.js, so the worker lands beside index.js.
    const config = (await import('../../../electron.vite.config')).default as {
      main: { build: { rollupOptions: { input: Record<string, string> } } }
    }
    expect(config.main.build.rollupOptions.input).toEqual({
      index: join(ROOT, 'src', 'main', 'index.ts'),
      'background-worker': join(ROOT, 'src', 'main', 'core', 'background', 'worker.ts')
    })
  })

  it('hands a weak key protection to the core as a warning for the admin, not only to the terminal', async () => {
    await boot()
    await ready()
    // No keychain at all: the key file fallback is announced.
    expect(openCore).toHaveBeenCalledWith(expect.objectContaining({ warnings: [NO_KEYCHAIN_WARNING] }))
  })

  it.runIf(process.platform === 'linux')('passes the basic_text warning on Linux when safeStorage has no real keychain', async () => {
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(true)
    electron.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text')
    try {
      await boot()
      await ready()
      expect(openCore).toHaveBeenCalledWith(expect.objectContaining({ warnings: [BASIC_TEXT_WARNING] }))
      expect(console.warn).toHaveBeenCalledWith(BASIC_TEXT_WARNING)
    } finally {
      electron.safeStorage.isEncryptionAvailable.mockReturnValue(false)
      electron.safeStorage.getSelectedStorageBackend.mockReturnValue('unknown')
    }
  })

  it('passes no warning when the OS keychain protects the key', async () => {
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(true)
    electron.safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret')
    try {
      await boot()
      await ready()
      expect(openCore).toHaveBeenCalledWith(expect.objectContaining({ warnings: [] }))
    } finally {
      electron.safeStorage.isEncryptionAvailable.mockReturnValue(false)
      electron.safeStorage.getSelectedStorageBackend.mockReturnValue('unknown')
    }
  })

  it('shows an error and exits when the directory cannot be opened', async () => {
    openCore.mockImplementationOnce(() => {
      throw new Error('database is locked')
    })
    await boot()
    await ready()
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(expect.any(String), expect.stringContaining('database is locked'))
    expect(electron.app.exit).toHaveBeenCalledWith(1)
    expect(state.windows).toHaveLength(0)
  })

  it('sets an application menu whose File menu offers Backup and Restore, and no developer tools', async () => {
    await boot()
    await ready()
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1)
    const template = (electron.Menu.buildFromTemplate.mock.calls[0]?.[0] ?? []) as Array<{ label?: string; role?: string; submenu?: Array<{ id?: string }> }>
    const file = template.find((item) => item.label === 'File')
    expect(file?.submenu?.map((item) => item.id).filter(Boolean)).toEqual(['backup', 'restore'])
    expect(JSON.stringify(template)).not.toMatch(/toggleDevTools|reload/i)
  })

  it('runs the integrity check only after the window is shown', async () => {
    await boot()
    await ready()
    const window = state.windows[0] as FakeWindow & { once: ReturnType<typeof vi.fn>; show: ReturnType<typeof vi.fn> }
    const readyToShow = window.once.mock.calls.find((call) => call[0] === 'ready-to-show')?.[1] as (() => void) | undefined
    expect(readyToShow).toBeDefined()
    const checkIntegrityInBackground = vi.fn(async () => ({
      ok: false,
      full: false,
      problems: ['Tree 4 page 4: btreeInitPage() returns error code 11'],
      message: 'The user directory database is damaged.'
    }))
    ;(core as unknown as { checkIntegrityInBackground: typeof checkIntegrityInBackground }).checkIntegrityInBackground = checkIntegrityInBackground
    vi.useFakeTimers()
    try {
      readyToShow?.()
      expect(window.show).toHaveBeenCalled()
      expect(checkIntegrityInBackground).not.toHaveBeenCalled()
      vi.runAllTimers()
    } finally {
      vi.useRealTimers()
    }
    expect(checkIntegrityInBackground).toHaveBeenCalledTimes(1)
    // The worker's own connection loads the same better-sqlite3 the app resolved.
    expect(checkIntegrityInBackground.mock.calls[0]).toEqual([])
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalled())
    expect(electron.dialog.showMessageBox).toHaveBeenCalledWith(window, expect.objectContaining({ type: 'error', title: 'The user directory is damaged' }))
  })

  it('loads only app:// once packaged, whatever ELECTRON_RENDERER_URL says', async () => {
    const app = electron.app as { isPackaged: boolean }
    app.isPackaged = true
    process.env.ELECTRON_RENDERER_URL = 'http://evil.example:5173/'
    try {
      await boot()
      await ready()
      const window = state.windows[0] as FakeWindow
      expect(window.loadURL).toHaveBeenCalledWith('app://twofa-admin/index.html')
      // The hardening is not told to trust the variable's origin ...
      expect(hardening.hardenSession).toHaveBeenCalledWith(electron.session.defaultSession, [APP_ORIGIN])
      const { contents, navigate } = createdWebContents()
      expect(hardening.hardenWebContents).toHaveBeenCalledWith(contents, [APP_ORIGIN])
      expect(navigate('http://evil.example:5173/')).toBe('refused')
      // ... and neither is the IPC check.
      await expect(invoke('getAppState', window.webContents.id, 'http://evil.example:5173/')).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(core.dispatch).not.toHaveBeenCalled()
    } finally {
      app.isPackaged = false
      delete process.env.ELECTRON_RENDERER_URL
    }
  })
})
