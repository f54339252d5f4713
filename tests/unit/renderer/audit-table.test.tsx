// A sign-out or session expiry recorded after a background task (WriteGate.writeSoon) is dated
// when it was written and carries when it happened: the Audit log shows that as a date, as it
// shows the other instants in details.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { AuditTable } from '../../../src/renderer/src/components/AuditTable'
import { formatDateTime } from '../../../src/renderer/src/lib/format'

const happenedAt = Date.UTC(2026, 11, 4, 9, 30)

describe('AuditTable', () => {
  it('shows when a deferred record’s event happened as a date, beside the time it was written', () => {
    const html = renderToStaticMarkup(
      <AuditTable
        entries={[{ id: 9, at: happenedAt + 60_000, actor: 'ana@example.com', action: 'logout', target: 'ana@example.com', details: { happenedAt } }]}
        emptyState="Nothing yet"
      />
    )
    expect(html).toContain(`happened at: ${formatDateTime(happenedAt)}`)
    expect(html).toContain(formatDateTime(happenedAt + 60_000))
    expect(html).not.toContain(String(happenedAt))
  })
})
