// The arithmetic of a virtualized list of fixed-height rows that may hold a
// million rows. Chromium caps an element's height near 33.5M px, and 1M rows of
// 44 px need 44M px, so past a cap the scrollbar is scaled: the scrolled
// content is at most MAX_CONTENT_HEIGHT tall and a scroll offset maps
// proportionally onto the "virtual" offset the rows would have at full height.
// Pure functions, so the mapping can be tested at 1M rows without a browser.

/** Height of one body row in px: UsersTable hands it to its stylesheet as --row-height. */
export const ROW_HEIGHT = 44
/**
 * Below NARROW_QUERY (issue 13: 900 px, the window's minimum) the email is shown under the
 * name in the Name cell, with no Email column, so it wraps rather than ending in "…": the
 * row is this tall, room for the name and two lines of email (UsersTable, use-row-height.ts).
 */
export const NARROW_ROW_HEIGHT = 64
/** The window widths at which rows are NARROW_ROW_HEIGHT tall. */
export const NARROW_QUERY = '(max-width: 1200px)'
/** Height of the header row in px: handed to the stylesheet as --header-height. */
export const HEADER_HEIGHT = 40
/** Well under Chromium's ~33.5M px limit, with room for the header and rounding. */
export const MAX_CONTENT_HEIGHT = 16_000_000
/** Rows rendered beyond each edge of the viewport, so a small scroll shows no gap. */
export const OVERSCAN_ROWS = 3
/** However tall the window, never more rows than this in the DOM. */
export const MAX_RENDERED_ROWS = 100

export interface ListGeometry {
  rowCount: number
  /** Height available to the rows (the scroll container minus the header), px. */
  viewportHeight: number
  rowHeight?: number
  maxContentHeight?: number
}

/** The full height the rows would take unscaled. */
export function virtualHeight(g: ListGeometry): number {
  return g.rowCount * (g.rowHeight ?? ROW_HEIGHT)
}

/** The height of the scrolled content actually laid out (capped). */
export function contentHeight(g: ListGeometry): number {
  return Math.min(virtualHeight(g), g.maxContentHeight ?? MAX_CONTENT_HEIGHT)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}

/** The largest real scroll offset and the largest virtual offset. */
function ranges(g: ListGeometry): { real: number; virtual: number } {
  return {
    real: Math.max(0, contentHeight(g) - g.viewportHeight),
    virtual: Math.max(0, virtualHeight(g) - g.viewportHeight)
  }
}

/** The scroll container's offset -> the offset into the unscaled list of rows. */
export function virtualOffset(scrollTop: number, g: ListGeometry): number {
  const { real, virtual } = ranges(g)
  if (real <= 0) return 0
  const top = clamp(scrollTop, 0, real)
  // Unscaled lists map one to one, with no rounding at all.
  return real === virtual ? top : (top / real) * virtual
}

/** The offset into the unscaled list -> the scroll container's offset (inverse of virtualOffset). */
export function scrollTopFor(offset: number, g: ListGeometry): number {
  const { real, virtual } = ranges(g)
  if (virtual <= 0) return 0
  const target = clamp(offset, 0, virtual)
  return real === virtual ? target : (target / virtual) * real
}

/** The scroll offset that shows `row` at the top of the viewport (or as near as the end allows). */
export function scrollTopForRow(row: number, g: ListGeometry): number {
  return scrollTopFor(row * (g.rowHeight ?? ROW_HEIGHT), g)
}

/** The first row whose top is at or above the top of the viewport. */
export function rowAtTop(scrollTop: number, g: ListGeometry): number {
  if (g.rowCount === 0) return 0
  const rowHeight = g.rowHeight ?? ROW_HEIGHT
  return clamp(Math.floor(virtualOffset(scrollTop, g) / rowHeight), 0, g.rowCount - 1)
}

/** How many rows fit whole in the viewport (at least one). */
export function rowsPerPage(g: ListGeometry): number {
  return Math.max(1, Math.floor(g.viewportHeight / (g.rowHeight ?? ROW_HEIGHT)))
}

export interface RowWindow {
  /** First rendered row (0-based, inclusive). */
  first: number
  /** One past the last rendered row. */
  end: number
  /** Where the top of row `first` is drawn, relative to the top of the viewport, px (<= 0). */
  offsetY: number
}

/** Which rows to render for a scroll offset, with overscan, and where to draw them. */
export function rowWindow(scrollTop: number, g: ListGeometry, overscan = OVERSCAN_ROWS): RowWindow {
  if (g.rowCount === 0) return { first: 0, end: 0, offsetY: 0 }
  const rowHeight = g.rowHeight ?? ROW_HEIGHT
  const offset = virtualOffset(scrollTop, g)
  const top = Math.floor(offset / rowHeight)
  const visible = Math.ceil(g.viewportHeight / rowHeight) + 1
  const first = Math.max(0, top - overscan)
  const end = Math.min(g.rowCount, top + visible + overscan, first + MAX_RENDERED_ROWS)
  return { first, end, offsetY: first * rowHeight - offset }
}

/** Where a key on the scroll container moves the top row, or null for keys it does not handle. */
export function rowForKey(key: string, topRow: number, g: ListGeometry): number | null {
  const page = Math.max(1, rowsPerPage(g) - 1)
  const last = Math.max(0, g.rowCount - 1)
  switch (key) {
    case 'PageDown':
      return clamp(topRow + page, 0, last)
    case 'PageUp':
      return clamp(topRow - page, 0, last)
    case 'ArrowDown':
      return clamp(topRow + 1, 0, last)
    case 'ArrowUp':
      return clamp(topRow - 1, 0, last)
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return null
  }
}

// ------------------------------------------------------------- row blocks

/** Rows per block: the unit the list is fetched and cached in. */
export const BLOCK_SIZE = 100

/** The blocks holding rows first..end-1. */
export function blocksFor(first: number, end: number, blockSize = BLOCK_SIZE): number[] {
  if (end <= first) return []
  const blocks: number[] = []
  for (let block = Math.floor(first / blockSize); block <= Math.floor((end - 1) / blockSize); block++) blocks.push(block)
  return blocks
}

export type BlockCache<Row> = Readonly<Record<number, readonly Row[]>>

/** The row at `index` if its block has been fetched. */
export function rowAt<Row>(blocks: BlockCache<Row>, index: number, blockSize = BLOCK_SIZE): Row | undefined {
  return blocks[Math.floor(index / blockSize)]?.[index % blockSize]
}

/**
 * Keeps at most `max` blocks, dropping those farthest from the blocks in view,
 * so scrolling a million rows end to end holds no more memory than scrolling ten thousand.
 */
export function trimBlocks<Row>(blocks: BlockCache<Row>, inView: readonly number[], max: number): BlockCache<Row> {
  const keys = Object.keys(blocks).map(Number)
  if (keys.length <= max) return blocks
  const low = Math.min(...inView)
  const high = Math.max(...inView)
  const distance = (block: number) => (block < low ? low - block : block > high ? block - high : 0)
  const kept = keys.sort((a, b) => distance(a) - distance(b) || a - b).slice(0, max)
  const trimmed: Record<number, readonly Row[]> = {}
  for (const block of kept) trimmed[block] = blocks[block]!
  return trimmed
}
