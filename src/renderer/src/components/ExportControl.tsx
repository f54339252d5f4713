// Export from a list screen: the format and the Export button (in the screen's
// header), and how the export is doing (under it). Pure: the screen passes the
// export's status from the store and what to call.
import { useId, useState } from 'react'
import type { ExportStatus } from '../store/slices/exports'
import { plural } from '../lib/format'
import { ErrorMessage, SuccessMessage } from './Messages'
import './ExportControl.css'

export interface ExportFormatOption<F extends string> {
  value: F
  label: string
}

interface ExportButtonProps<F extends string> {
  formats: readonly ExportFormatOption<F>[]
  status: ExportStatus
  onExport: (format: F) => void
  /** What the export holds, for the button's tooltip ("the 40 users that match"). */
  description: string
}

export function ExportButton<F extends string>({ formats, status, onExport, description }: ExportButtonProps<F>) {
  const id = useId()
  const [format, setFormat] = useState<F>(formats[0]?.value as F)
  const busy = status.phase === 'starting' || status.phase === 'running'
  return (
    <div className="export-button">
      <label htmlFor={id} className="visually-hidden">
        Export format
      </label>
      <select id={id} value={format} onChange={(event) => setFormat(event.target.value as F)} disabled={busy}>
        {formats.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <button type="button" className="button" onClick={() => onExport(format)} disabled={busy} title={`Export ${description} to a file`}>
        Export
      </button>
    </div>
  )
}

interface ExportProgressProps {
  status: ExportStatus
  /** What a row is: ['user', 'users'], ['entry', 'entries']. */
  noun: readonly [string, string]
}

/** How far an export got; once done, where the file went; or why it failed. */
export function ExportProgress({ status, noun }: ExportProgressProps) {
  const [one, many] = noun
  switch (status.phase) {
    case 'idle':
      return null
    case 'failed':
      return <ErrorMessage message={`The export failed. ${status.error ?? ''}`.trim()} />
    case 'done': {
      const rows = plural(status.done, one, many)
      return <SuccessMessage message={status.downloaded ? `Exported ${rows}: your browser saves it as ${status.file ?? 'a download'}.` : `Exported ${rows} to ${status.file ?? 'the file'}.`} />
    }
    default: {
      const known = status.phase === 'running' && status.total > 0
      const label = known
        ? `Exporting ${status.done.toLocaleString('en-US')} of ${plural(status.total, one, many)}…`
        : status.phase === 'running'
          ? `Exporting ${many}…`
          : 'Starting the export…'
      return (
        <div className="export-progress" role="status">
          <span>{label}</span>
          <progress aria-label={`Export of ${many}`} max={known ? status.total : undefined} value={known ? status.done : undefined} />
        </div>
      )
    }
  }
}
