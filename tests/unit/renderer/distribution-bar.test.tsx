import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { DistributionBar } from '../../../src/renderer/src/components/DistributionBar'
import { distributionShares } from '../../../src/renderer/src/lib/format'

describe('distributionShares', () => {
  it('rounds so the percentages add up to 100', () => {
    const shares = distributionShares({ total: 3, active: 1, pending: 1, inactive: 1, overdue: 1 })
    expect(shares.map((share) => share.percent)).toEqual([34, 33, 33])
    expect(shares.reduce((sum, share) => sum + share.percent, 0)).toBe(100)
  })

  it('gives the extra point to the largest remainder', () => {
    const shares = distributionShares({ total: 7, active: 1, pending: 2, inactive: 4, overdue: 2 })
    // 14.29, 28.57, 57.14: 28.57 has the largest remainder.
    expect(shares.map((share) => share.percent)).toEqual([14, 29, 57])
  })

  it('keeps exact fractions for drawing', () => {
    const shares = distributionShares({ total: 8, active: 2, pending: 0, inactive: 6, overdue: 0 })
    expect(shares.map((share) => share.fraction)).toEqual([25, 0, 75])
  })

  it('shows 0 % everywhere when there are no users', () => {
    expect(distributionShares({ total: 0, active: 0, pending: 0, inactive: 0, overdue: 0 }).map((share) => share.percent)).toEqual([0, 0, 0])
  })
})

describe('DistributionBar', () => {
  it('draws one segment per non-empty status, sized by its share', () => {
    const html = renderToStaticMarkup(<DistributionBar distribution={{ total: 4, active: 1, pending: 3, inactive: 0, overdue: 3 }} onSelect={() => {}} />)
    expect(html).toContain('segment-active" style="width:25%"')
    expect(html).toContain('segment-pending" style="width:75%"')
    expect(html).not.toContain('distribution-segment segment-inactive')
  })

  it('lists every status in the legend with its count and percentage', () => {
    const html = renderToStaticMarkup(<DistributionBar distribution={{ total: 4, active: 1, pending: 3, inactive: 0, overdue: 3 }} onSelect={() => {}} />)
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    expect(text).toContain('2FA active 1 user 25%')
    expect(text).toContain('2FA enforced, activation pending 3 users 75%')
    expect(text).toContain('2FA not active 0 users 0%')
    expect(html).toContain('aria-label="2FA distribution among 4 users"')
  })

  it('says so when there are no users', () => {
    const html = renderToStaticMarkup(<DistributionBar distribution={{ total: 0, active: 0, pending: 0, inactive: 0, overdue: 0 }} onSelect={() => {}} />)
    expect(html).toContain('No users yet')
  })
})
