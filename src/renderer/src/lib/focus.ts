// Keyboard focus never falls to the page body. When what held focus goes away
// (a screen replaced by the next, a form started afresh after its Save, a button
// turned off while it works, a dialog closed), focus moves to the nearest
// sensible place: what the screen asked for (`expect`), else a message that
// says what just happened, else the heading or the first control of the nearest
// part of the page still there.

/** Focuses any element: one that is not focusable by itself (a heading, a message) gets tabIndex -1 first. */
export function focusElement(element: HTMLElement): void {
  if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) element.tabIndex = -1
  element.focus({ preventScroll: false })
}

/** Whether focus is nowhere useful: on the body, or on an element gone from the page. */
export function focusLost(doc: Document): boolean {
  const active = doc.activeElement
  return active === null || active === doc.body || !active.isConnected
}

const MESSAGE = '.message-success, .message-error, .message-info'
const HEADING = 'h1, h2, h3'
const CONTROL = 'button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex="0"]'

/** Where focus goes inside a part of the page that stays: its message, else its heading, else its first control, else the part itself. */
export function replacementIn(place: HTMLElement): HTMLElement {
  const message = [...place.querySelectorAll<HTMLElement>(MESSAGE)].find((element) => element.textContent?.trim())
  return message ?? place.querySelector<HTMLElement>(HEADING) ?? place.querySelector<HTMLElement>(CONTROL) ?? place
}

export interface FocusKeeper {
  /**
   * The next place for focus, once it shows (a screen just opened: its heading, the row one came back to).
   * Taken only while focus is lost or on the keeper's root; any move of focus by the person cancels it.
   */
  expect: (find: () => HTMLElement | null) => void
  stop: () => void
}

/** Keeps focus inside `root` (the shell's content) whenever what held it goes away. */
export function keepFocus(root: HTMLElement): FocusKeeper {
  const doc = root.ownerDocument
  /** What last held focus inside root, and its ancestors up to root: the nearest still there takes focus. */
  let trail: HTMLElement[] = []
  /** What last held focus anywhere: focus that left it for the body while it is still there was moved there on purpose (a click on the background). */
  let last: HTMLElement | null = null
  let expected: (() => HTMLElement | null) | null = null
  let moving = false

  const move = (element: HTMLElement) => {
    moving = true
    try {
      focusElement(element)
    } finally {
      moving = false
    }
  }

  const onFocusIn = (event: FocusEvent) => {
    const target = event.target
    if (!(target instanceof HTMLElement)) return
    if (!moving && target !== root) expected = null
    last = target
    if (!root.contains(target)) {
      trail = []
      return
    }
    const path: HTMLElement[] = []
    for (let element: HTMLElement | null = target; element && element !== root; element = element.parentElement) path.push(element)
    trail = path
  }

  const check = () => {
    const waiting = focusLost(doc) || doc.activeElement === root
    if (expected && waiting) {
      const target = expected()
      if (target) {
        expected = null
        move(target)
        return
      }
      // Until it shows, focus waits on the content itself rather than on the body.
      if (doc.activeElement !== root) move(root)
      return
    }
    if (!focusLost(doc) || last === null || (last.isConnected && !(last as HTMLButtonElement).disabled)) return
    const place = trail.find((element) => element.isConnected && root.contains(element)) ?? root
    move(place === root ? root : replacementIn(place))
  }

  const observer = new MutationObserver(check)
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled', 'hidden'] })
  doc.addEventListener('focusin', onFocusIn)
  // A focused element that disappears fires no event of its own in every browser: the mutation above notices.
  return {
    expect: (find) => {
      // Focus still somewhere on purpose (the sidebar's button that opened the screen) stays there.
      if (!focusLost(doc) && doc.activeElement !== root) return
      expected = find
      check()
    },
    stop: () => {
      observer.disconnect()
      doc.removeEventListener('focusin', onFocusIn)
      expected = null
    }
  }
}
