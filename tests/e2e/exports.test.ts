// Export from the Users and Audit log screens (issue 10, part 3), in headless
// Chromium against the real browser preview: the Export button takes the list
// as it is filtered and searched, the file arrives as the browser's download,
// and the export itself shows in the audit log.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { World } from './support/fixtures'
import { firstRunAdmin, MARIA, TOM, worldForEachTest } from './support/fixtures'

let world: World
worldForEachTest((started) => (world = started))

// A name a spreadsheet would run as a formula: the CSV writes it neutralised.
const MARTA = { name: '=Marta Lopez', email: 'marta@example.com', password: 'marta password 2026' }
const MARK = { name: 'Mark Okafor', email: 'mark@example.com', password: 'mark password 2026' }

describe('Export in the browser preview', () => {
  it('Users: Export with a search and a 2FA status filter downloads exactly the users the table shows, as CSV and as JSON', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM, MARTA, MARK])
    expect(world.preview.cli(['user', 'enforce', MARK.email]).code).toBe(0)
    await admin.page.reload()
    await admin.heading('Users').waitFor()

    await admin.page.getByLabel('Search').fill('mar')
    await admin.page.getByLabel('2FA status').selectOption({ label: '2FA not active' })
    await admin.page.getByText('2 users match').waitFor()
    const shown = (await admin.page.getByRole('table').getByRole('row').allInnerTexts()).filter((row) => row.includes('@'))
    expect(shown).toHaveLength(2)

    const csv = await admin.exportAs('CSV')
    expect(csv.suggestedFilename()).toMatch(/^2FA Admin users inactive \d{4}-\d{2}-\d{2}\.csv$/)
    const rows = parse(readFileSync(await csv.path(), 'utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((row) => [row.email, row.name, row.status, row.source])).toEqual([
      [MARIA.email, MARIA.name, 'inactive', 'local'],
      [MARTA.email, "'=Marta Lopez", 'inactive', 'local']
    ])
    await admin.page.getByText(/^Exported 2 users: your browser saves it as 2FA Admin users inactive .*\.csv\.$/).waitFor()

    const json = await admin.exportAs('JSON')
    const records = JSON.parse(readFileSync(await json.path(), 'utf8')) as { email: string; name: string; enforced_by: string }[]
    expect(records.map((record) => record.email)).toEqual([MARIA.email, MARTA.email])
    expect(records[1]?.name).toBe('=Marta Lopez')
    // The export is recorded: who, what, how many rows.
    const audit = JSON.parse(world.preview.cli(['audit', '--json', '--action', 'users.exported']).stdout) as { actor: string; details: Record<string, unknown> }[]
    expect(audit.map((entry) => [entry.actor, entry.details.format, entry.details.rows, entry.details.query, entry.details.status])).toEqual([
      ['ada@example.com', 'json', 2, 'mar', 'inactive'],
      ['ada@example.com', 'csv', 2, 'mar', 'inactive']
    ])
  })

  it('Audit log: Export with an action filter downloads those entries, oldest first, each with its chain link', async () => {
    const { admin } = await firstRunAdmin(world, [MARIA, TOM])
    await admin.goTo('Audit log')
    await admin.page.getByLabel('Action').selectOption({ label: 'User created' })
    await admin.page.getByRole('table').getByText(TOM.email).first().waitFor()

    const download = await admin.exportAs('JSON Lines')
    expect(download.suggestedFilename()).toMatch(/^2FA Admin audit log \d{4}-\d{2}-\d{2}\.jsonl$/)
    const lines = readFileSync(await download.path(), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((line) => [line.action, line.target])).toEqual([
      ['user.created', MARIA.email],
      ['user.created', TOM.email]
    ])
    for (const line of lines) {
      expect(line.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(line.prev_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(typeof line.details).toBe('string')
    }
    await admin.page.getByText(/^Exported 2 entries: your browser saves it as 2FA Admin audit log .*\.jsonl\.$/).waitFor()

    // Unfiltered, as CSV: every entry, the export just made among them.
    await admin.page.getByLabel('Action').selectOption({ label: 'All actions' })
    const all = await admin.exportAs('CSV')
    const rows = parse(readFileSync(await all.path(), 'utf8'), { columns: true }) as { action: string; prev_hash: string; hash: string }[]
    expect(rows.map((row) => row.action)).toContain('audit.exported')
    for (const [index, row] of rows.entries()) if (index > 0) expect(row.prev_hash).toBe(rows[index - 1]?.hash)
  })
})
