// The 2FA trend on Account > Security, drawn from its props alone: the three
// series in the shields' colours, numbered enforcement markers, deadlines, the
// words for screen readers, and an empty state until two days are recorded.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { TwoFactorHistory } from '../../../src/shared/contract/history'
import { DistributionTrend } from '../../../src/renderer/src/components/DistributionTrend'
import { RecoveryCodesSheet } from '../../../src/renderer/src/components/RecoveryCodesPrintSheet'
import { countTicks, dayNumber, dayTicks, groupEvents, spreadLabels, trendDomain, trendSummary } from '../../../src/renderer/src/lib/trend'

const DAY_MS = 86_400_000
const at = (day: string, hour = 12) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`)

function history(overrides: Partial<TwoFactorHistory> = {}): TwoFactorHistory {
  return {
    from: '2026-08-30',
    to: '2026-11-27',
    days: 90,
    points: [
      { day: '2026-11-01', total: 10, active: 2, pending: 1, inactive: 7, overdue: null },
      { day: '2026-11-10', total: 10, active: 3, pending: 7, inactive: 0, overdue: 7 },
      { day: '2026-11-27', total: 12, active: 9, pending: 1, inactive: 2, overdue: 0 }
    ],
    events: [
      { id: 40, at: at('2026-11-10', 9), action: 'enforcement.all-enforced', actor: 'ada@example.com', target: null },
      { id: 41, at: at('2026-11-10', 15), action: 'enforcement.all-revoked', actor: 'ada@example.com', target: null },
      { id: 52, at: at('2026-11-20'), action: 'enforcement.all-enforced', actor: 'cli', target: null }
    ],
    deadlines: [{ at: at('2026-12-04'), group: null }],
    ...overrides
  }
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('DistributionTrend', () => {
  it('draws one line per status in the colours of the shields, a marker per day of changes and the deadline', () => {
    const html = renderToStaticMarkup(<DistributionTrend history={history()} />)
    expect(html.match(/class="trend-line"/g)).toHaveLength(3)
    expect(html).toContain('stroke="#1a7f37"')
    expect(html).toContain('stroke="#d46b08"')
    expect(html).toContain('stroke="#cf222e"')
    // Two events on Nov 10 share marker 1; Nov 20 is marker 2.
    expect(html.match(/<g class="trend-event">/g)).toHaveLength(2)
    expect(html.match(/<g class="trend-deadline">/g)).toHaveLength(1)
    // The deadline lies ahead: the chart runs past today and says where today is.
    expect(text(html)).toContain(' Today ')
    expect(text(html)).toContain('Deadline to activate 2FA: all users')
    expect(text(html)).toMatch(/2FA enforced for all users by ada@example\.com/)
    expect(text(html)).toMatch(/Enforcement for all users revoked by ada@example\.com/)
  })

  it('names itself and says what it shows, and holds the numbers in a table for screen readers', () => {
    const html = renderToStaticMarkup(<DistributionTrend history={history()} />)
    expect(html).toMatch(/<svg[^>]*role="img" aria-labelledby="[^"]+-title" aria-describedby="[^"]+-desc"/)
    expect(html).toMatch(/<title id="[^"]+-title">2FA among your users over the last 90 days<\/title>/)
    expect(html).toContain('2FA active went from 2 to 9 users')
    expect(html).toContain('2FA not active went from 7 to 2 users')
    expect(html).toContain('3 enforcement changes, 1 deadline.')
    const table = /<table class="visually-hidden">.*<\/table>/.exec(html)?.[0] ?? ''
    expect(table.match(/<tr>/g)).toHaveLength(4)
    expect(text(table)).toContain('Day 2FA active 2FA enforced, activation pending 2FA not active Overdue')
  })

  it('says the trend comes with the second recorded day while there is only one', () => {
    const html = renderToStaticMarkup(<DistributionTrend history={history({ points: [{ day: '2026-11-27', total: 3, active: 1, pending: 0, inactive: 2, overdue: 0 }], events: [], deadlines: [] })} />)
    expect(html).not.toContain('<svg')
    expect(text(html)).toContain('The trend appears once 2FA has been recorded on two days.')
    expect(text(html)).toContain('2FA active 1, 2FA enforced, activation pending 0, 2FA not active 2')
  })
})

describe('the arithmetic of the trend', () => {
  it('spans from the first thing to show to today, or to a deadline soon after', () => {
    const domain = trendDomain(history())
    expect(domain.start).toBe(dayNumber('2026-11-01'))
    expect(domain.today).toBe(dayNumber('2026-11-27'))
    expect(domain.end).toBe(dayNumber('2026-12-04'))
    // A deadline months away is listed, not drawn.
    expect(trendDomain(history({ deadlines: [{ at: at('2027-06-01'), group: 'Sales' }] }))).toMatchObject({ end: dayNumber('2026-11-27'), today: null })
  })

  it('groups the events of one day under one number', () => {
    expect(groupEvents(history().events).map((group) => [group.number, group.events.map((event) => event.id)])).toEqual([
      [1, [40, 41]],
      [2, [52]]
    ])
  })

  it('labels round counts and days back from today', () => {
    expect(countTicks(9)).toEqual([0, 2, 4, 6, 8, 10])
    expect(countTicks(10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(countTicks(3)).toEqual([0, 1, 2, 3])
    expect(countTicks(0)).toEqual([0, 1])
    expect(countTicks(1234)).toEqual([0, 500, 1000, 1500])
    const end = dayNumber('2026-11-27')
    const ticks = dayTicks({ start: end - 89, end, today: null }, 8)
    expect(ticks[ticks.length - 1]).toBe(end)
    expect(ticks.length).toBeLessThanOrEqual(8)
    expect(new Set(ticks.slice(1).map((tick, index) => tick - (ticks[index] ?? 0))).size).toBe(1)
  })

  it('keeps end labels apart', () => {
    const spread = spreadLabels([{ y: 100 }, { y: 104 }, { y: 50 }], 13, 0, 200)
    expect(spread.map((label) => label.y)).toEqual([50, 100, 113])
  })

  it('sums up in words, a stay as a stay', () => {
    const same = history({ points: [history().points[2]!, { ...history().points[2]!, day: '2026-11-28' }], events: [], deadlines: [] })
    expect(trendSummary(same)).toMatch(/2FA active stayed at 9 users; .* No enforcement change\.$/)
    expect(DAY_MS).toBe(86_400_000)
  })
})

describe('the printed recovery codes', () => {
  it('name the person, their email, the date, every code and how to use them', () => {
    const codes = ['abcde-12345', 'fghij-67890']
    const html = text(renderToStaticMarkup(<RecoveryCodesSheet name="Maria Garcia" email="maria@example.com" codes={codes} createdAt={at('2026-11-27')} />))
    expect(html).toContain('Name Maria Garcia')
    expect(html).toContain('Email maria@example.com')
    expect(html).toMatch(/Created \w{3} \d{1,2}, 2026/)
    for (const code of codes) expect(html).toContain(code)
    expect(html).toContain('How to use them')
    expect(html).toContain('Use a recovery code instead')
  })
})
