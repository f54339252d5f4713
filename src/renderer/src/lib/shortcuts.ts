// The signed-in app's keys and mouse buttons, as in any desktop app: Alt+Left and
// Alt+Right (and the mouse's back and forward buttons) go back and forward
// through the places visited; `/` goes to the screen's search field. The browser
// preview gets Back and Forward from the browser as well: the page takes them
// over (preventDefault) so each press moves exactly once, in Electron too.

/** The mouse's back and forward buttons (MouseEvent.button). */
export const MOUSE_BACK = 3
export const MOUSE_FORWARD = 4

export type HistoryMove = 'back' | 'forward'

interface KeyLike {
  key: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  target: EventTarget | null
  defaultPrevented?: boolean
}

/** Alt+Left / Alt+Right alone; on a Mac not in a text field, where Option+arrows move by word. */
export function historyMoveForKey(event: KeyLike, mac = false): HistoryMove | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return null
  if (mac && isTextEntry(event.target)) return null
  if (event.key === 'ArrowLeft') return 'back'
  if (event.key === 'ArrowRight') return 'forward'
  return null
}

export function historyMoveForButton(button: number): HistoryMove | null {
  if (button === MOUSE_BACK) return 'back'
  if (button === MOUSE_FORWARD) return 'forward'
  return null
}

/** Where typing goes: a text field, a text area, a list box being chosen from, or editable text. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type)
}

/** `/` alone, outside text fields: go to the search field. */
export function isSearchKey(event: KeyLike): boolean {
  return event.key === '/' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.defaultPrevented && !isTextEntry(event.target)
}

/**
 * Listens for the shortcuts on the whole window; `content` holds the screen, whose
 * search field `/` focuses (none while a dialog is open). Returns the function that stops.
 */
export function installShortcuts(win: Window, content: () => HTMLElement | null): () => void {
  const mac = /Mac/i.test(win.navigator.platform)
  // In the desktop app on Windows the mouse's buttons arrive as the window's app commands, which
  // main handles (src/main/electron/history-commands.ts): taking them here too would move twice.
  const buttonsFromWindow = /Electron\//.test(win.navigator.userAgent) && /^Win/i.test(win.navigator.platform)
  const go = (move: HistoryMove) => (move === 'back' ? win.history.back() : win.history.forward())
  // A modal dialog is finished or cancelled first: nothing moves the screen from under it.
  const modalOpen = () => win.document.querySelector('dialog[open]') !== null
  const onKey = (event: KeyboardEvent) => {
    if (modalOpen()) return
    const move = historyMoveForKey(event, mac)
    if (move) {
      event.preventDefault()
      go(move)
      return
    }
    if (!isSearchKey(event)) return
    const search = content()?.querySelector<HTMLInputElement>('input[type="search"]')
    if (!search) return
    event.preventDefault()
    search.focus()
    search.select()
  }
  const onMouse = (event: MouseEvent) => {
    const move = historyMoveForButton(event.button)
    if (!move || buttonsFromWindow || modalOpen()) return
    event.preventDefault()
    go(move)
  }
  win.addEventListener('keydown', onKey)
  win.addEventListener('mouseup', onMouse)
  return () => {
    win.removeEventListener('keydown', onKey)
    win.removeEventListener('mouseup', onMouse)
  }
}
