// The Import users dialog rendered alone, step by step: what it says, which
// button it offers, where the first focus goes, and what its progress bar reads.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { ImportResult } from '../../../src/shared/contract/user-import'
import { ImportUsersDialog, progressText, type ImportUsersDialogProps } from '../../../src/renderer/src/components/ImportUsersDialog'
import { hasUnknownColumns, problemText } from '../../../src/renderer/src/components/ImportPreview'

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
const noop = () => {}

const PREVIEW: ImportResult = {
  applied: false,
  dryRun: true,
  rows: 3,
  created: 2,
  updated: 1,
  unchanged: 0,
  errors: [],
  errorsTotal: 0,
  changes: [
    { line: 2, email: 'maria@example.com', kind: 'create', fields: { name: { from: null, to: 'Garcia; Maria' }, role: { from: null, to: 'user' }, enforcement: { from: null, to: 'enforced' } } },
    { line: 3, email: 'tom@example.com', kind: 'create', fields: { name: { from: null, to: 'Tom' }, role: { from: null, to: 'admin' } } },
    { line: 4, email: 'li@example.com', kind: 'update', fields: { role: { from: 'user', to: 'admin' }, disabled: { from: 'no', to: 'yes' } } }
  ],
  newAdmins: 2
}

const REFUSED: ImportResult = {
  ...PREVIEW,
  created: 0,
  updated: 0,
  changes: [],
  newAdmins: 0,
  errors: [
    { line: 2, email: 'not-an-email', message: '"not-an-email": Enter an email address like name@example.com.' },
    { line: 3, email: 'maria@example.com', message: 'Role is "boss": use admin or user.' }
  ],
  errorsTotal: 2
}

const UNKNOWN_COLUMN: ImportResult = {
  ...REFUSED,
  rows: 0,
  errors: [
    {
      line: 1,
      email: '',
      message: 'Unknown column "colour". The columns are email, name, role, enforce, disabled; remove the others, or ignore them (--ignore-unknown-columns).',
      code: 'unknown-columns'
    }
  ],
  errorsTotal: 1
}

function render(props: Partial<ImportUsersDialogProps>): string {
  return renderToStaticMarkup(
    <ImportUsersDialog
      step="choose"
      fileName={null}
      ignoreUnknownColumns={false}
      result={null}
      progress={null}
      error={null}
      onChooseFile={noop}
      onIgnoreUnknownColumns={noop}
      onImport={noop}
      onChooseAnother={noop}
      onClose={noop}
      {...props}
    />
  )
}

/** The element marked for first focus, as an opening tag. */
const autofocused = (html: string) => html.match(/<[^>]*data-autofocus[^>]*>/g) ?? []

describe('Import users dialog', () => {
  it('starts at the file picker, focused, with every column explained and Cancel', () => {
    const html = render({})
    expect(autofocused(html)).toEqual([expect.stringMatching(/^<input[^>]*type="file"/)])
    const shown = text(html)
    for (const column of ['email', 'name', 'role', 'enforce', 'disabled']) expect(shown).toContain(column)
    expect(shown).toContain('New users have no password yet')
    expect(shown).toContain('Ignore other columns Otherwise a column not listed above refuses the file.')
    expect(shown).toMatch(/Cancel$/)
  })

  it('says what is being checked, and puts the focus on Cancel while the file input is gone', () => {
    const html = render({ step: 'checking', fileName: 'people.csv', progress: { running: true, phase: 'reading', done: 2000, total: 0 } })
    expect(html).not.toContain('type="file"')
    expect(text(html)).toContain('Checking people.csv: 2,000 rows read')
    expect(autofocused(html)).toEqual([expect.stringMatching(/^<button/)])
  })

  it('previews every change in the screens’ words, a value with a semicolon intact, and offers to import them', () => {
    const html = render({ step: 'preview', fileName: 'people.csv', result: PREVIEW })
    const shown = text(html)
    expect(shown).toContain('people.csv · 3 rows')
    expect(shown).toContain('2 to create 1 to update 0 unchanged')
    expect(shown).toContain('2 maria@example.com new Name Garcia; Maria Role User 2FA Enforced')
    expect(shown).toContain('4 li@example.com update Role User → Administrator Disabled no → yes')
    expect(shown).toContain('The file makes 2 users administrators')
    expect(shown).toMatch(/Choose another file Import 3 users$/)
    // The table of changes takes the focus: it scrolls with the arrow keys.
    expect(autofocused(html)).toEqual([expect.stringContaining('aria-label="Changes"')])
    expect(html).toMatch(/<div class="import-scroll" tabindex="0" role="region" aria-label="Changes"/)
  })

  it('shows every problem with its line, says nothing changed, and keeps Import disabled', () => {
    const html = render({ step: 'preview', fileName: 'bad.csv', result: REFUSED })
    const shown = text(html)
    expect(shown).toContain('Nothing can be imported: the file has 2 problems. Fix them in the file, save it and choose it again. Nothing was changed.')
    expect(shown).toContain('2 not-an-email "not-an-email": Enter an email address like name@example.com.')
    expect(shown).toContain('3 maria@example.com Role is "boss": use admin or user.')
    expect(html).toMatch(/<button type="button" class="button button-primary" disabled="">Import<\/button>/)
    expect(html).not.toContain('Ignore other columns and check again')
    expect(autofocused(html)).toEqual([expect.stringContaining('aria-label="Problems"')])
  })

  it('says how many problems are left out of the list', () => {
    const shown = text(render({ step: 'preview', fileName: 'bad.csv', result: { ...REFUSED, errorsTotal: 1500 } }))
    expect(shown).toContain('The first 2 of 1,500 problems are listed; twofa-admin import users FILE --dry-run lists them all.')
  })

  it('offers to ignore unknown columns in the screen’s words, not the command line’s', () => {
    const html = render({ step: 'preview', fileName: 'bad.csv', result: UNKNOWN_COLUMN })
    const shown = text(html)
    expect(shown).toContain('Ignore other columns and check again')
    expect(shown).toContain('1 — Unknown column "colour". The columns are email, name, role, enforce, disabled; remove the others, or ignore them (Ignore other columns).')
    expect(shown).not.toContain('--ignore-unknown-columns')
    expect(shown).not.toContain('Line 1:')
    // Already ignoring them: nothing to offer.
    expect(render({ step: 'preview', fileName: 'bad.csv', result: UNKNOWN_COLUMN, ignoreUnknownColumns: true })).not.toContain('check again')
  })

  it('has an empty state for a file with no users, and for one that changes nothing', () => {
    const empty = render({ step: 'preview', fileName: 'header-only.csv', result: { ...PREVIEW, rows: 0, created: 0, updated: 0, changes: [], newAdmins: 0 } })
    expect(text(empty)).toContain('header-only.csv names its columns but has no users.')
    expect(empty).toMatch(/disabled="">Import<\/button>/)
    const same = render({ step: 'preview', fileName: 'same.csv', result: { ...PREVIEW, created: 0, updated: 0, unchanged: 3, changes: [], newAdmins: 0 } })
    expect(text(same)).toContain('Every user in the file is already as the file says: there is nothing to import.')
    expect(same).toMatch(/<button type="button" class="button" data-autofocus="true">Choose another file<\/button>/)
  })

  it('while importing, shows the progress and lets nothing be pressed', () => {
    const html = render({ step: 'importing', fileName: 'people.csv', result: PREVIEW, progress: { running: true, phase: 'applying', done: 1, total: 3 } })
    expect(text(html)).toContain('Importing: 1 of 3 rows saved')
    expect(html).toMatch(/<progress id="[^"]+" max="6" value="4"><\/progress>/)
    expect(html).toMatch(/disabled="">Choose another file<\/button>/)
    expect(html).toMatch(/disabled="">Importing…<\/button>/)
  })

  it('once done, says what it did and moves the focus to Done', () => {
    const html = render({ step: 'done', fileName: 'people.csv', result: { ...PREVIEW, applied: true, dryRun: false } })
    const shown = text(html)
    expect(shown).toContain('people.csv was imported. 2 created 1 updated 0 unchanged')
    expect(shown).toContain('New users have no password yet: open a user in the list to set one.')
    expect(autofocused(html)).toEqual(['<button type="button" class="button button-primary" data-autofocus="true">'])
  })

  it('shows an error with what to do at the file picker', () => {
    const shown = text(render({ step: 'choose', fileName: 'huge.csv', error: 'huge.csv is larger than 32 MB. Split it, or import it with "twofa-admin import users FILE".' }))
    expect(shown).toContain('huge.csv is larger than 32 MB.')
  })
})

describe('import progress', () => {
  it('covers both passes of an import in one bar: reading again, then saving', () => {
    expect(progressText('importing', 'a.csv', { running: true, phase: 'reading', done: 500, total: 0 }, 1000)).toEqual({
      label: 'Importing: checking the file again, 500 of 1,000 rows',
      value: 500,
      max: 2000
    })
    expect(progressText('importing', 'a.csv', { running: true, phase: 'applying', done: 250, total: 1000 }, 1000)).toEqual({ label: 'Importing: 250 of 1,000 rows saved', value: 1250, max: 2000 })
    expect(progressText('importing', 'a.csv', null, 1000)).toEqual({ label: 'Importing…', value: 0, max: 2000 })
  })

  it('while checking, is indeterminate until the number of rows is known', () => {
    expect(progressText('checking', 'a.csv', null, null)).toMatchObject({ label: 'Checking a.csv…', value: null })
    expect(progressText('checking', 'a.csv', { running: true, phase: 'reading', done: 0, total: 0 }, null)).toMatchObject({ label: 'Checking a.csv…', value: null })
    expect(progressText('checking', 'a.csv', { running: true, phase: 'applying', done: 10, total: 40 }, null)).toEqual({ label: 'Checking a.csv: 10 of 40 rows', value: 10, max: 40 })
  })
})

describe('problem wording', () => {
  it('names the checkbox where the core names the command line\'s flag, and changes nothing else', () => {
    expect(problemText({ line: 1, email: '', message: 'Unknown column "x"; remove it, or ignore them (--ignore-unknown-columns).' })).toBe('Unknown column "x"; remove it, or ignore them (Ignore other columns).')
    expect(problemText({ line: 1, email: '', message: 'There is no "email" column.' })).toBe('There is no "email" column.')
    expect(problemText({ line: 5, email: 'new.person@example.com', message: 'new.person@example.com is also on line 4: each user may appear once.' })).toBe(
      'new.person@example.com is also on line 4: each user may appear once.'
    )
  })

  // tests/e2e/import-users.test.ts checks the same on the words the import itself writes.
  it('recognises a file refused for unknown columns', () => {
    expect(hasUnknownColumns(UNKNOWN_COLUMN)).toBe(true)
    expect(hasUnknownColumns(REFUSED)).toBe(false)
  })
})
