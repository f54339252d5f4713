// The keys and mouse buttons of Back and Forward, and `/` for the search: which
// press means what (the listeners themselves run in tests/e2e/navigation.test.ts).
import { describe, expect, it } from 'vitest'
import { historyMoveForButton, historyMoveForKey, isSearchKey, MOUSE_BACK, MOUSE_FORWARD } from '../../../src/renderer/src/lib/shortcuts'

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; defaultPrevented: boolean }> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  target: null,
  ...mods
})

describe('Back and Forward', () => {
  it('are Alt+Left and Alt+Right alone', () => {
    expect(historyMoveForKey(key('ArrowLeft', { altKey: true }))).toBe('back')
    expect(historyMoveForKey(key('ArrowRight', { altKey: true }))).toBe('forward')
    expect(historyMoveForKey(key('ArrowLeft'))).toBeNull()
    expect(historyMoveForKey(key('ArrowLeft', { altKey: true, shiftKey: true }))).toBeNull()
    expect(historyMoveForKey(key('ArrowLeft', { altKey: true, ctrlKey: true }))).toBeNull()
    expect(historyMoveForKey(key('ArrowLeft', { altKey: true, metaKey: true }))).toBeNull()
    expect(historyMoveForKey(key('ArrowUp', { altKey: true }))).toBeNull()
    // A key a screen already handled is not taken twice.
    expect(historyMoveForKey(key('ArrowLeft', { altKey: true, defaultPrevented: true }))).toBeNull()
  })

  it("are the mouse's back and forward buttons, and no other", () => {
    expect(historyMoveForButton(MOUSE_BACK)).toBe('back')
    expect(historyMoveForButton(MOUSE_FORWARD)).toBe('forward')
    for (const button of [0, 1, 2, 5]) expect(historyMoveForButton(button)).toBeNull()
  })
})

describe('the search key', () => {
  it('is `/` alone', () => {
    expect(isSearchKey(key('/'))).toBe(true)
    expect(isSearchKey(key('/', { ctrlKey: true }))).toBe(false)
    expect(isSearchKey(key('/', { altKey: true }))).toBe(false)
    expect(isSearchKey(key('/', { metaKey: true }))).toBe(false)
    expect(isSearchKey(key('/', { defaultPrevented: true }))).toBe(false)
    expect(isSearchKey(key('?'))).toBe(false)
  })
})
