// Keeps the signed-in app's place and the URL's fragment in step (lib/route.ts
// says how a place is written):
//   - each move to another screen, filter or order is a history entry, so Back
//     and Forward (the browser's, Alt+Left/Right, the mouse's buttons) walk them;
//     typing a search replaces the entry of the search being typed;
//   - Back, Forward or an address typed in go to the place they name;
//   - a reload, or a sign-in after one, goes back to the place in the address;
//   - signing out clears the address, so the next person starts at their own landing screen.
// The preview's access token never passes through here: api/http-api.ts takes it
// out of the fragment before the app starts, and a place is only ever written
// from the few values lib/route.ts knows.
import { AUDIT_PARAMS, formatPlace, landingView, parsePlace, placeFor, readParams, screenAddress, USERS_PARAMS, type Place } from '../lib/route'
import type { AppState } from './app-state'
import type { AppStore } from './app-store'

/** The parts of window this uses (a fake in tests). */
export interface RouteWindow {
  location: { hash: string; pathname: string; search: string }
  history: {
    pushState(data: unknown, unused: string, url?: string): void
    replaceState(data: unknown, unused: string, url?: string): void
  }
  addEventListener(type: 'popstate' | 'hashchange', listener: () => void): void
  removeEventListener(type: 'popstate' | 'hashchange', listener: () => void): void
}

function pick<T extends object>(source: T, fields: readonly (keyof T)[]): T {
  const picked = {} as T
  for (const field of fields) picked[field] = source[field]
  return picked
}

const USERS_FIELDS = Object.keys(USERS_PARAMS) as (keyof typeof USERS_PARAMS)[]
const AUDIT_FIELDS = Object.keys(AUDIT_PARAMS) as (keyof typeof AUDIT_PARAMS)[]

/** Where the store says the person is. */
export function placeOf(state: AppState): Place {
  const view = state.nav.view
  if (view.name === 'users') return { view: { name: 'users' }, users: pick(state.users, USERS_FIELDS) }
  if (view.name === 'audit') return { view, audit: pick(state.audit, AUDIT_FIELDS) }
  return { view }
}

/** Whether a move from one place to the next is only more typing in the Users search. */
function onlySearchTyped(from: Place, to: Place): boolean {
  if (from.view.name !== 'users' || to.view.name !== 'users' || !from.users || !to.users) return false
  const { query: before, ...restBefore } = from.users
  const { query: after, ...restAfter } = to.users
  return before !== after && JSON.stringify(restBefore) === JSON.stringify(restAfter)
}

/**
 * Goes to a place: the screens' state first (the screen that opens reads it), then the screen.
 * A place this person may not open is their landing screen instead.
 */
export function goToPlace(store: AppStore, wanted: Place | null): void {
  const state = store.getState()
  const role = state.session.me?.role
  if (role === undefined) return
  const place = placeFor(wanted, role) ?? { view: landingView(role) }
  // The same screen stays (its state changes in place); another one opens afresh.
  const stays = screenAddress(state.nav.view) === screenAddress(place.view)
  if (place.view.name === 'users') void state.users.actions.restoreFilter(place.users ?? readParams(USERS_PARAMS, new URLSearchParams()), stays)
  if (place.view.name === 'audit') {
    const audit = place.audit ?? readParams(AUDIT_PARAMS, new URLSearchParams())
    if (stays) void state.audit.actions.applyFilter(audit)
    // The screen about to open loads with it; loading it here too would only be dropped.
    else store.setState((s) => ({ audit: { ...s.audit, ...audit } }))
  }
  if (!stays) state.nav.actions.navigate(place.view)
}

/** Starts keeping the place and the address in step; returns the function that stops it. */
export function syncRoute(store: AppStore, win: RouteWindow): () => void {
  let signedIn = false
  /** While the store moves to a place read from the address: nothing is written back. */
  let applying = false
  /** The entry now shown was made by typing a search (more typing replaces it). */
  let typingEntry = false

  const write = (address: string, mode: 'push' | 'replace') => {
    if (address === win.location.hash) return
    const url = `${win.location.pathname}${win.location.search}${address}`
    if (mode === 'push') win.history.pushState(null, '', url)
    else win.history.replaceState(null, '', url)
  }

  const goTo = (place: Place | null) => {
    applying = true
    try {
      goToPlace(store, place)
    } finally {
      applying = false
    }
    typingEntry = false
    // A malformed address, or one this person may not open, shows the place actually shown.
    write(formatPlace(placeOf(store.getState())), 'replace')
  }

  const onAddress = () => {
    if (!signedIn) return
    const place = parsePlace(win.location.hash)
    if (place !== null && formatPlace(placeOf(store.getState())) === win.location.hash) return
    goTo(place)
  }

  const unsubscribe = store.subscribe((state, previous) => {
    const nowSignedIn = state.session.phase === 'signed-in' && state.session.me !== null
    if (!nowSignedIn) {
      // Signed out (or a restricted step): the next person at this window does not start where this one was.
      if (signedIn) write('', 'replace')
      signedIn = false
      return
    }
    if (!signedIn) {
      signedIn = true
      // Just signed in, or the page opened (reloaded) with a session. A flow that chose
      // its own screen (activating 2FA now, the end of a hand-over) keeps it.
      const me = state.session.me
      const atLanding = me !== null && screenAddress(state.nav.view) === screenAddress(landingView(me.role))
      const fromAddress = parsePlace(win.location.hash)
      if (atLanding && fromAddress !== null) goTo(fromAddress)
      else write(formatPlace(placeOf(state)), 'replace')
      return
    }
    if (applying) return
    const before = placeOf(previous)
    const after = placeOf(state)
    const address = formatPlace(after)
    if (address === win.location.hash || address === formatPlace(before)) return
    const typing = onlySearchTyped(before, after)
    write(address, typing && typingEntry ? 'replace' : 'push')
    typingEntry = typing
  })

  win.addEventListener('popstate', onAddress)
  win.addEventListener('hashchange', onAddress)
  return () => {
    unsubscribe()
    win.removeEventListener('popstate', onAddress)
    win.removeEventListener('hashchange', onAddress)
  }
}
