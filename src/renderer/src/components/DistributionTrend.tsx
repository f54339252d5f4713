// The 2FA distribution over time, for Account > Security: one line per status
// in the shields' colours, a numbered marker per day with enforcement changes,
// a dashed line per deadline, and the same facts in words for screen readers
// (the summary in <desc>, a visually hidden table) and for everyone (the list
// under the chart). Pure: drawn from its props, measured only for its width.
import { useId, useLayoutEffect, useRef, useState, type MouseEvent, type RefObject } from 'react'
import type { DistributionPoint, TwoFactorHistory } from '../../../shared/contract/history'
import type { TwoFactorStatus } from '../../../shared/domain'
import { STATUS_LABEL } from '../../../shared/labels'
import {
  countTicks,
  dayNumber,
  dayTicks,
  deadlineLabel,
  deadlinesInDomain,
  eventLabel,
  formatEventTime,
  formatLongDay,
  formatShortDay,
  groupEvents,
  hasOverdue,
  spreadLabels,
  TREND_SERIES,
  trendDomain,
  trendSummary,
  dayPosition
} from '../lib/trend'
import { ShieldImage } from './StatusShield'
import './DistributionTrend.css'

/** The shields' colours for the lines, and darker ones of the same hue for text (4.5:1 on white). */
const LINE_COLOUR: Record<TwoFactorStatus, string> = { active: '#1a7f37', pending: '#d46b08', inactive: '#cf222e' }
const TEXT_COLOUR: Record<TwoFactorStatus, string> = { active: '#1a7f37', pending: '#9a4a00', inactive: '#a40e26' }

const HEIGHT = 250
const MARGIN = { top: 34, right: 48, bottom: 30, left: 46 }

interface DistributionTrendProps {
  history: TwoFactorHistory
  /** The width drawn until the element is measured (and where it never is: tests). */
  initialWidth?: number
}

/** The element's content width, followed as the window resizes. */
function useWidth(ref: RefObject<HTMLDivElement | null>, initial: number): number {
  const [width, setWidth] = useState(initial)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(320, Math.round(entry.contentRect.width)))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref])
  return width
}

/**
 * A series as the days were recorded: a count holds until the day before the next
 * recording and moves during that day, so a week without recordings reads as "no
 * news", not as a slow change (on consecutive days this is a plain line).
 */
function trendPath(points: readonly (DistributionPoint & { position: number })[], status: TwoFactorStatus, x: (position: number) => number, y: (count: number) => number): string {
  const at = (position: number, count: number) => `${x(position).toFixed(1)},${y(count).toFixed(1)}`
  return points
    .map((point, index) => {
      const previous = points[index - 1]
      if (!previous) return `M${at(point.position, point[status])}`
      const hold = point.position - 1 > previous.position ? `L${at(point.position - 1, previous[status])} ` : ''
      return `${hold}L${at(point.position, point[status])}`
    })
    .join(' ')
}

export function DistributionTrend({ history, initialWidth = 760 }: DistributionTrendProps) {
  const ref = useRef<HTMLDivElement>(null)
  const width = useWidth(ref, initialWidth)
  const [hovered, setHovered] = useState<number | null>(null)
  const id = useId()
  const summary = trendSummary(history)

  if (history.points.length < 2) {
    const only = history.points[0]
    return (
      <div className="trend" ref={ref}>
        <div className="trend-empty" role="note">
          <strong>The trend appears once 2FA has been recorded on two days.</strong>
          <span className="muted">
            {only
              ? `Recorded so far: ${formatLongDay(dayNumber(only.day))}, ${TREND_SERIES.map((status) => `${STATUS_LABEL[status]} ${only[status]}`).join(', ')}. The app records the distribution once a day and at every enforcement change.`
              : 'The app records the distribution once a day and at every enforcement change.'}
          </span>
        </div>
      </div>
    )
  }

  const domain = trendDomain(history)
  const plotWidth = width - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const span = Math.max(1, domain.end - domain.start)
  const x = (position: number) => MARGIN.left + ((Math.min(domain.end, Math.max(domain.start, position)) - domain.start) / span) * plotWidth
  const points = history.points.map((point) => ({ ...point, position: dayNumber(point.day) }))
  const ticks = countTicks(Math.max(...points.flatMap((point) => TREND_SERIES.map((status) => point[status]))))
  const top = ticks[ticks.length - 1] ?? 1
  const y = (count: number) => MARGIN.top + plotHeight - (count / top) * plotHeight
  const groups = groupEvents(history.events)
  const drawnDeadlines = deadlinesInDomain(history.deadlines, domain)
  const last = points[points.length - 1]!
  const endLabels = spreadLabels(
    TREND_SERIES.map((status) => ({ status, y: y(last[status]) + 4, count: last[status] })),
    13,
    MARGIN.top + 4,
    MARGIN.top + plotHeight + 4
  )
  const showDots = points.length <= 31
  const hoveredPoint = hovered === null ? null : points[hovered]
  const overdue = hasOverdue(history.points)

  const onMove = (event: MouseEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const position = domain.start + ((event.clientX - box.left) / box.width) * span
    let nearest = 0
    points.forEach((point, index) => {
      if (Math.abs(point.position - position) < Math.abs((points[nearest]?.position ?? 0) - position)) nearest = index
    })
    setHovered(nearest)
  }

  return (
    <div className="trend" ref={ref}>
      <ul className="trend-legend" aria-hidden="true">
        {TREND_SERIES.map((status) => (
          <li key={status}>
            <span className="trend-swatch" style={{ background: LINE_COLOUR[status] }} />
            <ShieldImage status={status} size={16} />
            {STATUS_LABEL[status]}
          </li>
        ))}
        {groups.length > 0 ? (
          <li>
            <span className="trend-event-badge">1</span>Enforcement change
          </li>
        ) : null}
        {history.deadlines.length > 0 ? (
          <li>
            <span className="trend-swatch trend-swatch-deadline" />
            Deadline
          </li>
        ) : null}
      </ul>

      <div className="trend-chart">
        <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
          <title id={`${id}-title`}>{`2FA among your users over the last ${history.days} days`}</title>
          <desc id={`${id}-desc`}>{summary}</desc>

          {domain.today !== null ? (
            <rect className="trend-ahead" x={x(domain.today)} y={MARGIN.top} width={x(domain.end) - x(domain.today)} height={plotHeight} />
          ) : null}

          {ticks.map((tick) => (
            <g key={tick}>
              <line className="trend-grid" x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(tick)} y2={y(tick)} />
              <text className="trend-axis" x={MARGIN.left - 8} y={y(tick) + 4} textAnchor="end">
                {tick.toLocaleString('en-US')}
              </text>
            </g>
          ))}
          {dayTicks(domain, Math.min(8, Math.max(3, Math.floor(plotWidth / 64)))).map((day) => (
            <g key={day}>
              <line className="trend-tick" x1={x(day)} x2={x(day)} y1={MARGIN.top + plotHeight} y2={MARGIN.top + plotHeight + 5} />
              <text className="trend-axis" x={x(day)} y={HEIGHT - 8} textAnchor="middle">
                {domain.today === day ? 'Today' : formatShortDay(day)}
              </text>
            </g>
          ))}

          {drawnDeadlines.map((deadline) => {
            const at = x(dayPosition(deadline.at))
            // Near the right edge the label goes to the left of its line.
            const left = at + 64 > width
            return (
              <g key={`${deadline.at}-${deadline.group ?? ''}`} className="trend-deadline">
                <line x1={at} x2={at} y1={MARGIN.top - 4} y2={MARGIN.top + plotHeight} />
                <text x={left ? at - 4 : at + 4} y={MARGIN.top - 8} textAnchor={left ? 'end' : 'start'}>
                  Deadline
                </text>
              </g>
            )
          })}

          {groups.map((group) => (
            <g key={group.number} className="trend-event">
              <line x1={x(group.position)} x2={x(group.position)} y1={MARGIN.top - 4} y2={MARGIN.top + plotHeight} />
              <circle cx={x(group.position)} cy={MARGIN.top - 16} r={9} />
              <text x={x(group.position)} y={MARGIN.top - 12} textAnchor="middle">
                {group.number}
              </text>
            </g>
          ))}

          {TREND_SERIES.map((status) => (
            <g key={status}>
              <path
                className="trend-line"
                stroke={LINE_COLOUR[status]}
                d={trendPath(points, status, x, y)}
              />
              {(showDots ? points : [last]).map((point) => (
                <circle key={point.day} className="trend-dot" cx={x(point.position)} cy={y(point[status])} r={3} fill={LINE_COLOUR[status]} />
              ))}
            </g>
          ))}

          {endLabels.map((label) => (
            <text key={label.status} className="trend-end-label" x={x(last.position) + 8} y={label.y} fill={TEXT_COLOUR[label.status]}>
              {label.count.toLocaleString('en-US')}
            </text>
          ))}

          {hoveredPoint ? (
            <g className="trend-hover">
              <line x1={x(hoveredPoint.position)} x2={x(hoveredPoint.position)} y1={MARGIN.top} y2={MARGIN.top + plotHeight} />
              {TREND_SERIES.map((status) => (
                <circle key={status} cx={x(hoveredPoint.position)} cy={y(hoveredPoint[status])} r={4.5} fill={LINE_COLOUR[status]} />
              ))}
            </g>
          ) : null}
          <rect
            className="trend-overlay"
            x={MARGIN.left}
            y={MARGIN.top}
            width={plotWidth}
            height={plotHeight}
            onMouseMove={onMove}
            onMouseLeave={() => setHovered(null)}
          />
        </svg>

        {hoveredPoint ? (
          <div
            className="trend-tooltip"
            aria-hidden="true"
            style={{ left: Math.min(x(hoveredPoint.position) + 12, width - 230), top: MARGIN.top }}
          >
            <strong>{formatLongDay(hoveredPoint.position)}</strong>
            {TREND_SERIES.map((status) => (
              <span key={status}>
                <span className="trend-swatch" style={{ background: LINE_COLOUR[status] }} />
                {STATUS_LABEL[status]}: {hoveredPoint[status].toLocaleString('en-US')}
              </span>
            ))}
            {hoveredPoint.overdue !== null && hoveredPoint.overdue > 0 ? <span className="muted">Of the pending, overdue: {hoveredPoint.overdue}</span> : null}
          </div>
        ) : null}
      </div>

      {groups.length > 0 || history.deadlines.length > 0 ? (
        <ol className="trend-events" aria-label="Enforcement changes and deadlines">
          {groups.map((group) => (
            <li key={group.number}>
              <span className="trend-event-badge" aria-hidden="true">
                {group.number}
              </span>
              <span>
                {group.events.map((event) => (
                  <span key={event.id} className="trend-event-line">
                    <span className="trend-event-time">{formatEventTime(event.at)}</span> {eventLabel(event)} <span className="muted">by {event.actor}</span>
                  </span>
                ))}
              </span>
            </li>
          ))}
          {history.deadlines.map((deadline) => (
            <li key={`${deadline.at}-${deadline.group ?? ''}`}>
              <span className="trend-swatch trend-swatch-deadline" aria-hidden="true" />
              <span className="trend-event-line">
                <span className="trend-event-time">{formatEventTime(deadline.at)}</span> {deadlineLabel(deadline)}
              </span>
            </li>
          ))}
        </ol>
      ) : null}

      <table className="visually-hidden">
        <caption>2FA among your users by day (each day as it ended)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {TREND_SERIES.map((status) => (
              <th key={status} scope="col">
                {STATUS_LABEL[status]}
              </th>
            ))}
            {overdue ? <th scope="col">Overdue</th> : null}
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.day}>
              <th scope="row">{formatLongDay(point.position)}</th>
              {TREND_SERIES.map((status) => (
                <td key={status}>{point[status]}</td>
              ))}
              {overdue ? <td>{point.overdue ?? '–'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
