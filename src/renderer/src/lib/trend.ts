// The arithmetic of the 2FA trend on Account > Security (DistributionTrend.tsx):
// where each day, count, event and deadline goes, which ticks to label, and the
// summary a screen reader hears. Pure, so it is tested without a browser.
import type { DistributionPoint, EnforcementDeadline, EnforcementEvent, TwoFactorHistory } from '../../../shared/contract/history'
import type { TwoFactorStatus } from '../../../shared/domain'
import { STATUS_LABEL } from '../../../shared/labels'
import { AUDIT_ACTION_LABEL } from './format'

const DAY_MS = 86_400_000

/** The statuses drawn, in the order of the legend and the shields. */
export const TREND_SERIES: readonly TwoFactorStatus[] = ['active', 'pending', 'inactive']

/** A future deadline at most this many days ahead stretches the chart to show it. */
export const AHEAD_DAYS = 45

/** Days since 1970 of a YYYY-MM-DD (UTC) day. */
export function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
}

/**
 * Where an instant sits on the day axis. A point stands for how its day ended,
 * so the end of day D is at D: something at 10:00 on D lies between D - 1 and D.
 */
export function dayPosition(epochMs: number): number {
  return epochMs / DAY_MS - 1
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export const formatShortDay = (day: number): string => shortDate.format(new Date(day * DAY_MS))
export const formatLongDay = (day: number): string => longDate.format(new Date(day * DAY_MS))
export const formatEventTime = (epochMs: number): string => dateTime.format(new Date(epochMs))

/** Events of one day share a marker: one number on the chart, each event in the list under it. */
export interface EventGroup {
  number: number
  position: number
  events: EnforcementEvent[]
}

export interface TrendDomain {
  /** The first and last day positions drawn. */
  start: number
  end: number
  /** Today's position, when the chart runs past it to show a deadline. */
  today: number | null
}

/** The days the chart spans: from the first thing to show to today, or to a deadline soon after. */
export function trendDomain(history: TwoFactorHistory): TrendDomain {
  const today = dayNumber(history.to)
  const from = dayNumber(history.from)
  const starts = [
    ...history.points.map((point) => dayNumber(point.day)),
    ...history.events.map((event) => Math.floor(dayPosition(event.at))),
    ...history.deadlines.map((deadline) => Math.floor(dayPosition(deadline.at)))
  ]
  // The end of the day before the first: where something on the first day begins.
  const start = Math.max(from - 1, Math.min(today - 1, ...starts))
  const ahead = history.deadlines.map((deadline) => Math.ceil(dayPosition(deadline.at))).filter((day) => day > today && day <= today + AHEAD_DAYS)
  const end = Math.max(today, ...ahead)
  return { start, end, today: end > today ? today : null }
}

export function groupEvents(events: readonly EnforcementEvent[]): EventGroup[] {
  const groups: EventGroup[] = []
  for (const event of events) {
    const day = Math.floor(event.at / DAY_MS)
    const last = groups[groups.length - 1]
    if (last && Math.floor((last.events[0]?.at ?? 0) / DAY_MS) === day) last.events.push(event)
    else groups.push({ number: groups.length + 1, position: dayPosition(event.at), events: [event] })
  }
  return groups
}

/** The deadlines the chart can draw (the others are only listed). */
export function deadlinesInDomain(deadlines: readonly EnforcementDeadline[], domain: TrendDomain): EnforcementDeadline[] {
  return deadlines.filter((deadline) => dayPosition(deadline.at) >= domain.start && dayPosition(deadline.at) <= domain.end)
}

export function eventLabel(event: EnforcementEvent): string {
  const label = AUDIT_ACTION_LABEL[event.action] ?? event.action
  return event.target === null ? label : `${label}: ${event.target}`
}

export function deadlineLabel(deadline: EnforcementDeadline): string {
  return deadline.group === null ? 'Deadline to activate 2FA: all users' : `Deadline to activate 2FA: group ${deadline.group}`
}

/** Round counts for the gridlines: 0 up to a round top, in at most five whole steps. */
export function countTicks(max: number): number[] {
  if (max <= 0) return [0, 1]
  const magnitude = 10 ** Math.floor(Math.log10(max / 5))
  const candidates = [1, 2, 5, 10].map((factor) => Math.max(1, Math.round(factor * magnitude)))
  const step = candidates.find((candidate) => Math.ceil(max / candidate) <= 5) ?? candidates[candidates.length - 1]!
  const ticks: number[] = []
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick)
  return ticks
}

/** The days to label: today always, then back by a step that leaves at most `most` labels. */
export function dayTicks(domain: TrendDomain, most: number): number[] {
  const span = domain.end - domain.start
  const step = [1, 2, 7, 14, 30, 60, 90].find((candidate) => span / candidate < most) ?? Math.ceil(span / most)
  const anchor = domain.today ?? domain.end
  const ticks: number[] = []
  for (let day = anchor + step * Math.floor((domain.end - anchor) / step); day >= domain.start; day -= step) ticks.unshift(day)
  return ticks
}

/** Pushes labels apart (by y) so none is closer than `gap` to the next; keeps their order. */
export function spreadLabels<T extends { y: number }>(labels: readonly T[], gap: number, min: number, max: number): T[] {
  const sorted = [...labels].sort((a, b) => a.y - b.y).map((label) => ({ ...label }))
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!
    const label = sorted[i]!
    if (label.y - previous.y < gap) label.y = previous.y + gap
  }
  const overflow = (sorted[sorted.length - 1]?.y ?? 0) - max
  if (overflow > 0) for (const label of sorted) label.y -= overflow
  const underflow = min - (sorted[0]?.y ?? min)
  if (underflow > 0) for (const label of sorted) label.y += underflow
  return sorted
}

const counted = (count: number): string => `${count.toLocaleString('en-US')} ${count === 1 ? 'user' : 'users'}`

/** What the chart says, in one paragraph: for its <desc> and anyone who cannot see it. */
export function trendSummary(history: TwoFactorHistory): string {
  const first = history.points[0]
  const last = history.points[history.points.length - 1]
  if (!first || !last) return `No day recorded yet in the last ${history.days} days.`
  const range = `From ${formatLongDay(dayNumber(first.day))} to ${formatLongDay(dayNumber(last.day))}`
  const moves = TREND_SERIES.map((status) => `${STATUS_LABEL[status]} ${first[status] === last[status] ? `stayed at ${counted(last[status])}` : `went from ${first[status].toLocaleString('en-US')} to ${counted(last[status])}`}`)
  const events = history.events.length === 0 ? 'no enforcement change' : history.events.length === 1 ? '1 enforcement change' : `${history.events.length} enforcement changes`
  const deadlines = history.deadlines.length === 0 ? '' : history.deadlines.length === 1 ? ', 1 deadline' : `, ${history.deadlines.length} deadlines`
  return `${range}: ${moves.join('; ')}. ${events[0]?.toUpperCase()}${events.slice(1)}${deadlines}.`
}

/** Overdue is shown only where the app counted it. */
export const hasOverdue = (points: readonly DistributionPoint[]): boolean => points.some((point) => point.overdue !== null)
