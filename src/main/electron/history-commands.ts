// The window's Back and Forward commands (Windows sends them as 'app-command' for
// the keyboard's and some mice's Back and Forward keys): they walk the page's
// history, whose entries are the app's places (src/renderer/src/store/route-sync.ts).
// Alt+Left/Right the page hears itself, and the mouse's buttons too except in
// the desktop app on Windows, where they come here (renderer lib/shortcuts.ts).

/** The parts of BrowserWindow this uses. */
export interface AppCommandSource {
  on(event: 'app-command', listener: (event: unknown, command: string) => void): unknown
}

/** The parts of WebContents.navigationHistory this uses. */
export interface PageHistory {
  canGoBack(): boolean
  canGoForward(): boolean
  goBack(): void
  goForward(): void
}

export function wireHistoryCommands(window: AppCommandSource, history: PageHistory): void {
  window.on('app-command', (_event, command) => {
    if (command === 'browser-backward' && history.canGoBack()) history.goBack()
    else if (command === 'browser-forward' && history.canGoForward()) history.goForward()
  })
}
