// The address of every place in the signed-in app, as the fragment of the URL:
// `#/users?status=pending&q=mar&sort=email&dir=desc`, `#/users/42`, `#/audit?user=tom`.
// A fragment, not a path: app:// and the preview serve one index.html, and the
// fragment never reaches a server. Pure parsing and formatting only; the store's
// side (history entries, Back and Forward) is store/route-sync.ts.
//
// Nothing read here is trusted: an address can be typed, bookmarked or old.
// Anything malformed falls back to a safe default (the screen without the bad
// part, or no place at all), never an exception, and what a person may see is
// still decided by the core on every call.
import {
  AUDIT_ACTIONS,
  ENFORCEMENT_SOURCE_FILTERS,
  ROLES,
  TWO_FACTOR_FILTERS,
  USER_SORT_KEYS,
  USER_SOURCES,
  type AuditAction,
  type Role,
  type SortDirection,
  type TwoFactorStatus,
  type UserSortKey
} from '../../../shared/domain'
import { MAX_EMAIL_LENGTH } from '../../../shared/limits'
import type { UserFilter } from '../store/slices/users'

/** Which screen is shown inside the signed-in shell, and the record it is about. */
export type View =
  | { name: 'users'; status?: TwoFactorStatus }
  | { name: 'user-details'; userId: number }
  | { name: 'security' }
  | { name: 'directory-sync' }
  | { name: 'radius-clients' }
  | { name: 'groups' }
  | { name: 'group-details'; groupId: number }
  | { name: 'audit' }
  | { name: 'my-account' }
  | { name: 'activate-two-factor' }

export type ViewName = View['name']

/** Longer fragments are not read at all: no screen's state needs more. */
export const MAX_ADDRESS_LENGTH = 2048

// ------------------------------------------------------------ parameters

/** One value of a screen's state in the address: its key there, its default (left out of the address), how it is read and written. */
export interface Param<T> {
  key: string
  fallback: T
  /** undefined: not a value this parameter takes (the default applies). */
  parse: (raw: string) => T | undefined
  format: (value: T) => string
}

/** A parameter for each field of a screen's state: a field added to the state and not here fails to compile. */
export type ParamsFor<State> = { [K in keyof State]-?: Param<State[K]> }

const text = (key: string, maxLength: number): Param<string> => ({
  key,
  fallback: '',
  parse: (raw) => (raw.length <= maxLength ? raw : undefined),
  format: (value) => value
})

function oneOf<T extends string>(key: string, values: readonly T[], fallback: T): Param<T>
function oneOf<T extends string>(key: string, values: readonly T[], fallback: null): Param<T | null>
function oneOf<T extends string>(key: string, values: readonly T[], fallback: T | null): Param<T | null> {
  return {
    key,
    fallback,
    parse: (raw) => (values as readonly string[]).includes(raw) ? (raw as T) : undefined,
    format: (value) => value ?? ''
  }
}

/** A record's id: 1 to 2^53 - 1 in plain decimal digits ("007", "1e3", "-1", "4.5" are not ids). */
export function parseId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) return undefined
  const id = Number(raw)
  return Number.isSafeInteger(id) ? id : undefined
}

/** A yes/no filter: absent (null) is "either". */
const optionalFlag = (key: string): Param<boolean | null> => ({
  key,
  fallback: null,
  parse: (raw) => (raw === 'yes' ? true : raw === 'no' ? false : undefined),
  format: (value) => (value ? 'yes' : 'no')
})

/** A filter that is on or off. */
const flag = (key: string): Param<boolean> => ({
  key,
  fallback: false,
  parse: (raw) => (raw === 'yes' ? true : undefined),
  format: () => 'yes'
})

const optionalId = (key: string): Param<number | null> => ({
  key,
  fallback: null,
  parse: parseId,
  format: (value) => (value === null ? '' : String(value))
})

/** Reads the parameters of one screen; a missing or malformed one takes its default. */
export function readParams<State>(params: ParamsFor<State>, search: URLSearchParams): State {
  const state = {} as State
  for (const field of Object.keys(params) as (keyof State)[]) {
    const param = params[field]
    const raw = search.get(param.key)
    const value = raw === null ? undefined : param.parse(raw)
    state[field] = value === undefined ? param.fallback : value
  }
  return state
}

/** Writes the parameters that differ from their default, in the order they are declared. */
export function writeParams<State>(params: ParamsFor<State>, state: State): string {
  const search = new URLSearchParams()
  for (const field of Object.keys(params) as (keyof State)[]) {
    const param = params[field]
    const value = state[field]
    if (value !== param.fallback) search.set(param.key, param.format(value))
  }
  const written = search.toString()
  return written ? `?${written}` : ''
}

/** The state of Account > Users that its address carries: the list's filter, search and order (the users slice's filter). */
export type UsersPlaceState = UserFilter

/**
 * The one place that says how the Users list's state is written in its address.
 * A field added to the slice's UserFilter fails to compile until it has its line here.
 */
export const USERS_PARAMS: ParamsFor<UsersPlaceState> = {
  query: text('q', MAX_EMAIL_LENGTH),
  status: oneOf('status', TWO_FACTOR_FILTERS, null),
  groupId: optionalId('group'),
  role: oneOf('role', ROLES, null),
  locked: optionalFlag('locked'),
  disabled: optionalFlag('disabled'),
  enforcementSource: oneOf('enforced-by', ENFORCEMENT_SOURCE_FILTERS, null),
  source: oneOf('source', USER_SOURCES, null),
  fewRecoveryCodes: flag('few-codes'),
  sort: oneOf<UserSortKey>('sort', USER_SORT_KEYS, 'name'),
  direction: oneOf<SortDirection>('dir', ['asc', 'desc'], 'asc')
}

export interface AuditPlaceState {
  user: string
  action: AuditAction | null
}

export const AUDIT_PARAMS: ParamsFor<AuditPlaceState> = {
  user: text('user', MAX_EMAIL_LENGTH),
  action: oneOf('action', AUDIT_ACTIONS, null)
}

// ------------------------------------------------------------ places

/** Where the person is: the screen, and the state of the screens whose state has an address. */
export interface Place {
  view: View
  /** With the Users screen: its list's state (absent: every default). */
  users?: UsersPlaceState
  /** With the Audit log: its filter (absent: none). */
  audit?: AuditPlaceState
}

/** The screens with a plain address of their own: `#/<segment>`. */
const PLAIN_SCREENS = {
  security: 'security',
  'directory-sync': 'directory-sync',
  'radius-clients': 'radius-clients',
  groups: 'groups',
  'my-account': 'my-account'
} as const satisfies Partial<Record<ViewName, string>>

/** The address of a place, with the leading '#'. */
export function formatPlace(place: Place): string {
  const { view } = place
  switch (view.name) {
    case 'users':
      return `#/users${place.users ? writeParams(USERS_PARAMS, place.users) : ''}`
    case 'audit':
      return `#/audit${place.audit ? writeParams(AUDIT_PARAMS, place.audit) : ''}`
    case 'user-details':
      return `#/users/${view.userId}`
    case 'group-details':
      return `#/groups/${view.groupId}`
    case 'activate-two-factor':
      return '#/my-account/activate-2fa'
    default:
      return `#/${PLAIN_SCREENS[view.name]}`
  }
}

/**
 * The place an address names, or null when it names none (empty, not ours, too long, an unknown screen).
 * A known screen with a malformed part is that screen without it: `#/users/abc` is the user list.
 */
export function parsePlace(hash: string): Place | null {
  if (hash.length > MAX_ADDRESS_LENGTH) return null
  const address = hash.startsWith('#') ? hash.slice(1) : hash
  if (!address.startsWith('/')) return null
  const queryAt = address.indexOf('?')
  const path = queryAt === -1 ? address : address.slice(0, queryAt)
  let search: URLSearchParams
  try {
    search = new URLSearchParams(queryAt === -1 ? '' : address.slice(queryAt + 1))
  } catch {
    return null
  }
  const segments = path.split('/').slice(1)
  const [screen = '', id, ...rest] = segments
  if (rest.length > 0) return null
  switch (screen) {
    case 'users': {
      const userId = id === undefined ? undefined : parseId(id)
      if (userId !== undefined) return { view: { name: 'user-details', userId } }
      return { view: { name: 'users' }, users: readParams(USERS_PARAMS, search) }
    }
    case 'groups': {
      const groupId = id === undefined ? undefined : parseId(id)
      return { view: groupId === undefined ? { name: 'groups' } : { name: 'group-details', groupId } }
    }
    case 'audit':
      return { view: { name: 'audit' }, audit: readParams(AUDIT_PARAMS, search) }
    case 'my-account':
      return { view: id === 'activate-2fa' ? { name: 'activate-two-factor' } : { name: 'my-account' } }
    default: {
      const plain = (Object.keys(PLAIN_SCREENS) as (keyof typeof PLAIN_SCREENS)[]).find((name) => PLAIN_SCREENS[name] === screen)
      return plain === undefined ? null : { view: { name: plain } }
    }
  }
}

/** The screens for every signed-in person; the rest are an administrator's. */
const EVERYONE_VIEWS: ReadonlySet<ViewName> = new Set<ViewName>(['my-account', 'activate-two-factor'])

export function mayOpen(view: View, role: Role): boolean {
  return role === 'admin' || EVERYONE_VIEWS.has(view.name)
}

/** Where a person lands after signing in, and where an address they may not open takes them. */
export function landingView(role: Role): View {
  return role === 'admin' ? { name: 'users' } : { name: 'my-account' }
}

/** The place an address takes this person to: the landing screen for one they may not open (the core refuses its data anyway). */
export function placeFor(place: Place | null, role: Role): Place | null {
  if (place === null) return null
  return mayOpen(place.view, role) ? place : { view: landingView(role) }
}

/** The address of a screen and its record, the screen's own state aside: two places with the same one are the same screen. */
export function screenAddress(view: View): string {
  return formatPlace({ view })
}
