// The main window's options: every renderer isolation Electron offers is on.
import type { BrowserWindowConstructorOptions } from 'electron'

export const WINDOW_TITLE = '2FA Admin'

export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    // The window and taskbar icon on Linux and Windows (macOS takes it from the bundle).
    icon: iconPath,
    width: 1200,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    // Shown on 'ready-to-show' so the window never flashes empty.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false
    }
  }
}
