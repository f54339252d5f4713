// The window's Back and Forward app commands (Windows: the keyboard's and some
// mice's Back and Forward keys) walk the page's history, with fakes for the window.
import { describe, expect, it, vi } from 'vitest'
import { wireHistoryCommands, type PageHistory } from '../../../src/main/electron/history-commands'

function wired(canGoBack: boolean, canGoForward: boolean) {
  let listener: ((event: unknown, command: string) => void) | undefined
  const window = {
    on: vi.fn((event: 'app-command', handler: (event: unknown, command: string) => void) => {
      expect(event).toBe('app-command')
      listener = handler
    })
  }
  const history: PageHistory = { canGoBack: () => canGoBack, canGoForward: () => canGoForward, goBack: vi.fn(), goForward: vi.fn() }
  wireHistoryCommands(window, history)
  return { send: (command: string) => listener?.({}, command), history }
}

describe('the Back and Forward app commands', () => {
  it('go back and forward in the page history', () => {
    const { send, history } = wired(true, true)
    send('browser-backward')
    expect(history.goBack).toHaveBeenCalledTimes(1)
    expect(history.goForward).not.toHaveBeenCalled()
    send('browser-forward')
    expect(history.goForward).toHaveBeenCalledTimes(1)
  })

  it('do nothing at either end of the history, nor for other commands', () => {
    const { send, history } = wired(false, false)
    send('browser-backward')
    send('browser-forward')
    send('browser-refresh')
    send('media-play-pause')
    expect(history.goBack).not.toHaveBeenCalled()
    expect(history.goForward).not.toHaveBeenCalled()
    const other = wired(true, true)
    other.send('browser-refresh')
    expect(other.history.goBack).not.toHaveBeenCalled()
    expect(other.history.goForward).not.toHaveBeenCalled()
  })
})
