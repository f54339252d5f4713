// Whether the Users table is narrow (issue 13: the email under the name, no Email
// column) and so how tall its rows are: one answer, read from NARROW_QUERY and
// re-read whenever the window crosses it, for both the stylesheet (--row-height)
// and the scroll arithmetic, so the two cannot disagree.
import { useEffect, useState } from 'react'
import { NARROW_QUERY, NARROW_ROW_HEIGHT, ROW_HEIGHT } from '../lib/virtual-rows'

function narrowNow(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(NARROW_QUERY).matches
}

export function useRowHeight(): { narrow: boolean; rowHeight: number } {
  const [narrow, setNarrow] = useState(narrowNow)
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return
    const query = window.matchMedia(NARROW_QUERY)
    const update = () => setNarrow(query.matches)
    update()
    query.addEventListener('change', update)
    return () => query.removeEventListener('change', update)
  }, [])
  return { narrow, rowHeight: narrow ? NARROW_ROW_HEIGHT : ROW_HEIGHT }
}
