// Every place of the signed-in app has an address: what is written is read back
// the same, and an address that is malformed, unknown, huge or not one's to open
// falls back to a safe place without ever throwing.
import { describe, expect, it } from 'vitest'
import { USER_SORT_KEYS } from '../../../src/shared/domain'
import {
  formatPlace,
  landingView,
  MAX_ADDRESS_LENGTH,
  mayOpen,
  parseId,
  parsePlace,
  placeFor,
  readParams,
  USERS_PARAMS,
  type Place,
  type UsersPlaceState
} from '../../../src/renderer/src/lib/route'

const NO_FILTER: UsersPlaceState = readParams(USERS_PARAMS, new URLSearchParams())

describe('the address of a place', () => {
  it('writes each screen at an address of its own and reads it back the same', () => {
    const places: [Place, string][] = [
      [{ view: { name: 'users' }, users: NO_FILTER }, '#/users'],
      [{ view: { name: 'user-details', userId: 42 } }, '#/users/42'],
      [{ view: { name: 'security' } }, '#/security'],
      [{ view: { name: 'groups' } }, '#/groups'],
      [{ view: { name: 'group-details', groupId: 7 } }, '#/groups/7'],
      [{ view: { name: 'directory-sync' } }, '#/directory-sync'],
      [{ view: { name: 'radius-clients' } }, '#/radius-clients'],
      [{ view: { name: 'audit' }, audit: { user: '', action: null } }, '#/audit'],
      [{ view: { name: 'my-account' } }, '#/my-account'],
      [{ view: { name: 'activate-two-factor' } }, '#/my-account/activate-2fa']
    ]
    for (const [place, address] of places) {
      expect(formatPlace(place)).toBe(address)
      expect(parsePlace(address)).toEqual(place)
    }
  })

  it("carries the Users list's filter, search and order, only what differs from the defaults, and reads them back", () => {
    const users: UsersPlaceState = { ...NO_FILTER, query: 'mar ía&x=1', status: 'pending', groupId: 3, sort: 'email', direction: 'desc', role: 'admin', locked: false, fewRecoveryCodes: true }
    const address = formatPlace({ view: { name: 'users' }, users })
    expect(address).toBe('#/users?q=mar+%C3%ADa%26x%3D1&status=pending&group=3&role=admin&locked=no&few-codes=yes&sort=email&dir=desc')
    expect(parsePlace(address)).toEqual({ view: { name: 'users' }, users })
    expect(formatPlace({ view: { name: 'users' }, users: { ...NO_FILTER, status: 'overdue' } })).toBe('#/users?status=overdue')
    // Every sort order of the list, the optional columns' times included.
    for (const sort of USER_SORT_KEYS) expect(parsePlace(formatPlace({ view: { name: 'users' }, users: { ...NO_FILTER, sort } }))?.users?.sort).toBe(sort)
  })

  it("carries the Audit log's filter", () => {
    const place: Place = { view: { name: 'audit' }, audit: { user: 'tom@example.com', action: 'login.success' } }
    expect(formatPlace(place)).toBe('#/audit?user=tom%40example.com&action=login.success')
    expect(parsePlace(formatPlace(place))).toEqual(place)
  })

  it('drops each malformed value alone, keeping the rest of the place', () => {
    expect(parsePlace('#/users?status=bogus&sort=password&dir=sideways&group=-1&locked=maybe&few-codes=1&q=tom')).toEqual({ view: { name: 'users' }, users: { ...NO_FILTER, query: 'tom' } })
    expect(parsePlace(`#/users?q=${'x'.repeat(255)}`)).toEqual({ view: { name: 'users' }, users: NO_FILTER })
    expect(parsePlace('#/audit?action=drop.tables&user=ada')).toEqual({ view: { name: 'audit' }, audit: { user: 'ada', action: null } })
    // A bad id is the list, not a record: letters, zero, signs, exponents, leading zeros, past 2^53.
    for (const id of ['abc', '0', '-1', '+1', '1e3', '4.5', '007', '9007199254740993', '99999999999999999999', '']) {
      expect(parsePlace(`#/users/${id}`)?.view).toEqual({ name: 'users' })
      expect(parsePlace(`#/groups/${id}`)?.view).toEqual({ name: 'groups' })
    }
    expect(parseId('9007199254740991')).toBe(9007199254740991)
  })

  it('names no place for an address that is empty, not ours, unknown, too deep or too long (the caller lands on the home screen)', () => {
    for (const address of ['', '#', '#/', 'users', '#users', '#token=secret', '#/nope', '#/users/1/delete', '#/my-account/x/y', '#/__proto__', '#/constructor', `#/users?q=${'a'.repeat(MAX_ADDRESS_LENGTH)}`]) {
      expect(parsePlace(address), address).toBeNull()
    }
  })

  it('never throws, whatever the fragment holds', () => {
    const odd = ['#/users?%', '#/users?q=%E0%A4%A', '#/users?q=\u0000\u202e', '#/%2e%2e/%2e%2e', '#/users?&&&==&', '#//', `#/${'/'.repeat(3000)}`, '#/users?q=%F0%9F%92%A9']
    for (const address of odd) expect(() => parsePlace(address)).not.toThrow()
    const random = Array.from({ length: 500 }, (_, i) => `#/${String.fromCharCode(...Array.from({ length: i % 40 }, (_, j) => 32 + ((i * 7919 + j * 104729) % 95)))}`)
    for (const address of random) {
      const place = parsePlace(address)
      if (place) expect(parsePlace(formatPlace(place))).toEqual(place)
    }
  })

  it('never writes anything it did not read as a known value: no token, no stray parameter', () => {
    const place = parsePlace('#/users?token=secret&q=tom&evil=1')
    expect(place).toEqual({ view: { name: 'users' }, users: { ...NO_FILTER, query: 'tom' } })
    expect(formatPlace(place!)).toBe('#/users?q=tom')
  })
})

describe('who may open a place', () => {
  it("opens an administrator's screens for administrators only; anyone else lands on My account", () => {
    expect(mayOpen({ name: 'users' }, 'admin')).toBe(true)
    expect(mayOpen({ name: 'user-details', userId: 1 }, 'user')).toBe(false)
    expect(mayOpen({ name: 'audit' }, 'user')).toBe(false)
    expect(mayOpen({ name: 'my-account' }, 'user')).toBe(true)
    expect(mayOpen({ name: 'activate-two-factor' }, 'user')).toBe(true)
    expect(placeFor(parsePlace('#/users/1'), 'user')).toEqual({ view: { name: 'my-account' } })
    expect(placeFor(parsePlace('#/security'), 'admin')).toEqual({ view: { name: 'security' } })
    expect(placeFor(null, 'admin')).toBeNull()
    expect(landingView('admin')).toEqual({ name: 'users' })
    expect(landingView('user')).toEqual({ name: 'my-account' })
  })
})
