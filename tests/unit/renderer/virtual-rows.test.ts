// The scaled scrollbar of the Users table: every one of a million rows is reachable.
import { describe, expect, it } from 'vitest'
import {
  BLOCK_SIZE,
  blocksFor,
  contentHeight,
  MAX_CONTENT_HEIGHT,
  MAX_RENDERED_ROWS,
  ROW_HEIGHT,
  rowAt,
  rowAtTop,
  rowForKey,
  rowWindow,
  scrollTopFor,
  scrollTopForRow,
  trimBlocks,
  virtualOffset,
  type ListGeometry
} from '../../../src/renderer/src/lib/virtual-rows'

const MILLION: ListGeometry = { rowCount: 1_000_000, viewportHeight: 704 }
const TEN_K: ListGeometry = { rowCount: 10_000, viewportHeight: 704 }
/** The scroll container's largest offset. */
const maxScroll = (g: ListGeometry) => contentHeight(g) - g.viewportHeight

describe('scroll offset <-> row under the scaled scrollbar', () => {
  it('caps the content under Chromium\'s ~33.5M px element height at 1M rows, and leaves 10k rows unscaled', () => {
    expect(1_000_000 * ROW_HEIGHT).toBeGreaterThan(33_554_431)
    expect(contentHeight(MILLION)).toBe(MAX_CONTENT_HEIGHT)
    expect(contentHeight(MILLION)).toBeLessThan(33_554_431)
    expect(contentHeight(TEN_K)).toBe(10_000 * ROW_HEIGHT)
    expect(virtualOffset(12_345, TEN_K)).toBe(12_345)
    expect(scrollTopFor(12_345, TEN_K)).toBe(12_345)
  })

  it('maps the top of the scrollbar to the first row and its bottom to the last screenful', () => {
    expect(rowAtTop(0, MILLION)).toBe(0)
    const end = rowWindow(maxScroll(MILLION), MILLION)
    expect(end.end).toBe(1_000_000)
    // The last row's bottom edge is exactly the viewport's bottom edge.
    expect(999_999 * ROW_HEIGHT + ROW_HEIGHT - virtualOffset(maxScroll(MILLION), MILLION)).toBeCloseTo(MILLION.viewportHeight, 6)
  })

  it('maps the middle of the scrollbar to the middle of the list', () => {
    const middle = rowAtTop(maxScroll(MILLION) / 2, MILLION)
    expect(Math.abs(middle - 500_000)).toBeLessThan(20)
  })

  it('reaches every row: one whole pixel of scrollbar moves less than one row', () => {
    const rowsPerPixel = (1_000_000 * ROW_HEIGHT - MILLION.viewportHeight) / maxScroll(MILLION) / ROW_HEIGHT
    expect(rowsPerPixel).toBeLessThan(1)
    // So every row has a whole-pixel offset that puts it at the top.
    for (const row of [1, 2, 3, 123_457, 500_001, 999_983]) {
      expect(rowAtTop(Math.ceil(scrollTopForRow(row, MILLION)), MILLION)).toBe(row)
    }
  })

  it('is its own inverse', () => {
    for (const offset of [0, 1, 44, 1_000_000, 21_999_000, 43_999_296]) {
      expect(virtualOffset(scrollTopFor(offset, MILLION), MILLION)).toBeCloseTo(offset, 4)
    }
  })

  it('clamps offsets past either end', () => {
    expect(virtualOffset(-50, MILLION)).toBe(0)
    expect(rowAtTop(1e12, MILLION)).toBe(rowAtTop(maxScroll(MILLION), MILLION))
    expect(scrollTopFor(1e12, MILLION)).toBe(maxScroll(MILLION))
  })

  it('renders only the rows in view plus overscan, drawn where the scroll puts them', () => {
    for (const g of [MILLION, TEN_K, { rowCount: 1_000_000, viewportHeight: 10_000 }]) {
      for (const scrollTop of [0, 777, maxScroll(g) / 3, maxScroll(g)]) {
        const view = rowWindow(scrollTop, g)
        expect(view.end - view.first).toBeLessThanOrEqual(MAX_RENDERED_ROWS)
        expect(view.offsetY).toBeLessThanOrEqual(0)
        const top = rowAtTop(scrollTop, g)
        expect(view.first).toBeLessThanOrEqual(top)
      }
    }
    const view = rowWindow(scrollTopForRow(500_000, MILLION), MILLION)
    expect(view.end - view.first).toBeLessThan(30)
    expect(view.first).toBeGreaterThan(499_990)
  })

  it('renders nothing for an empty list', () => {
    expect(rowWindow(0, { rowCount: 0, viewportHeight: 500 })).toEqual({ first: 0, end: 0, offsetY: 0 })
  })
})

describe('keys on the scroll container', () => {
  it('moves a page (less one row of context) with Page Down / Page Up, and to the ends with Home / End', () => {
    // 704 px hold 16 rows; a page moves 15.
    expect(rowForKey('PageDown', 0, MILLION)).toBe(15)
    expect(rowForKey('PageUp', 15, MILLION)).toBe(0)
    expect(rowForKey('PageUp', 3, MILLION)).toBe(0)
    expect(rowForKey('Home', 500_000, MILLION)).toBe(0)
    expect(rowForKey('End', 0, MILLION)).toBe(999_999)
    expect(rowForKey('ArrowDown', 10, MILLION)).toBe(11)
    expect(rowForKey('a', 10, MILLION)).toBeNull()
  })

  it('lands Page Down exactly one page further at any depth of a million rows', () => {
    for (const start of [0, 250_000, 777_777]) {
      const scrollTop = Math.ceil(scrollTopForRow(start, MILLION))
      const next = rowForKey('PageDown', rowAtTop(scrollTop, MILLION), MILLION)!
      expect(rowAtTop(Math.ceil(scrollTopForRow(next, MILLION)), MILLION)).toBe(start + 15)
    }
  })

  it('End shows the last row', () => {
    const scrollTop = Math.ceil(scrollTopForRow(rowForKey('End', 0, MILLION)!, MILLION))
    expect(rowWindow(scrollTop, MILLION).end).toBe(1_000_000)
  })
})

describe('blocks of rows', () => {
  it('lists the blocks a range of rows touches', () => {
    expect(blocksFor(0, 20)).toEqual([0])
    expect(blocksFor(95, 115)).toEqual([0, 1])
    expect(blocksFor(999_990, 1_000_000)).toEqual([9_999])
    expect(blocksFor(100, 200)).toEqual([1])
    expect(blocksFor(5, 5)).toEqual([])
    expect(BLOCK_SIZE).toBe(100)
  })

  it('finds a row in its block, or nothing while the block is not fetched', () => {
    const blocks = { 3: Array.from({ length: 100 }, (_, i) => `row ${300 + i}`) }
    expect(rowAt(blocks, 342)).toBe('row 342')
    expect(rowAt(blocks, 299)).toBeUndefined()
    expect(rowAt(blocks, 400)).toBeUndefined()
  })

  it('keeps the blocks nearest the view when over the limit', () => {
    const blocks = Object.fromEntries([0, 1, 2, 50, 51, 52, 98, 99].map((b) => [b, [b]]))
    const kept = trimBlocks(blocks, [51, 52], 4)
    expect(Object.keys(kept).map(Number)).toEqual([50, 51, 52, 98])
    expect(trimBlocks(blocks, [0], 100)).toBe(blocks)
  })
})
