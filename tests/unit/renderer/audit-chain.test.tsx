// The Audit screen's chain state and the full verification it starts, over a
// fake core (the real one answers these from the core's branch): what the
// screen says in each state, and that it follows the progress while it is open.
import { renderToStaticMarkup } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditChainStatus as ChainStatus, AuditPage } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { AuditChainStatus } from '../../../src/renderer/src/components/AuditChainStatus'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { CHAIN_POLL_MS } from '../../../src/renderer/src/store/slices/audit'
import { fakeApi } from './support/fake-api'

const INTACT: ChainStatus = { entries: 1200, verifiedThrough: 1200, broken: null, lastFullVerification: null, verifying: null }
const AT = Date.UTC(2026, 2, 14, 9, 30)
const idle = { pending: false, error: null }
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
const render = (chain: ChainStatus, verify: { pending: boolean; error: string | null } = idle) =>
  renderToStaticMarkup(<AuditChainStatus chain={chain} verify={verify} onVerify={() => {}} />)

describe('AuditChainStatus', () => {
  it('says the log is intact once every entry was checked, that it was never fully verified, and offers to', () => {
    const html = render(INTACT)
    expect(html).toContain('role="status"')
    expect(text(html)).toContain('No broken link. All 1,200 entries were checked as they were written: none was changed or removed since.')
    expect(text(html)).toContain('Never fully verified.')
    expect(html).toContain('<button type="button" class="button">Verify the whole log</button>')
    expect(html).not.toContain('<progress')
  })

  it('says how far the entries were checked while not all are', () => {
    expect(text(render({ ...INTACT, verifiedThrough: 800 }))).toContain('Checked through entry 800 of 1,200.')
    expect(text(render(INTACT))).not.toContain('Checked through')
  })

  it('names the broken entry and the reason, as an alert', () => {
    const html = render({ ...INTACT, verifiedThrough: 16, broken: { at: 17, reason: 'Entry 17 was changed after it was written.' } })
    expect(html).toContain('role="alert"')
    expect(text(html)).toContain('The audit log chain is broken at entry 17. Entry 17 was changed after it was written. Entries from there on cannot be trusted.')
    expect(text(html)).not.toContain('intact')
  })

  it('tells when the whole log was last verified, and over how many entries', () => {
    const html = render({ ...INTACT, lastFullVerification: { at: AT, entries: 1150, valid: true } })
    expect(text(html)).toMatch(/Last fully verified .*2026.* \(1,150 entries\)\./)
    expect(text(html)).not.toContain('Never fully verified')
  })

  it('shows a verification under way as a progress bar with the count, in place of the button', () => {
    const html = render({ ...INTACT, verifying: { checked: 300, total: 1200 } })
    expect(html).toMatch(/<progress id="[^"]+" max="1200" value="300"><\/progress>/)
    expect(text(html)).toContain('Verifying… 300 of 1,200 entries')
    const id = /<progress id="([^"]+)"/.exec(html)?.[1]
    expect(html).toContain(`<label for="${id}">`)
    expect(html).not.toContain('Verify the whole log')
  })

  it('keeps the button while the request is on its way, disabled, and says why it could not start', () => {
    expect(render(INTACT, { pending: true, error: null })).toContain('disabled="">Verify the whole log</button>')
    expect(text(render(INTACT, { pending: false, error: 'The audit log is busy.' }))).toContain('The audit log is busy.')
  })
})

describe('verifying the whole log from the Audit screen', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A core whose verification moves 400 entries per question about its progress. */
  function fakeCore(start: ChainStatus = INTACT) {
    let chain = start
    const page = (): Result<AuditPage> => ({ ok: true, value: { entries: [], nextCursor: null, chain } })
    const listAudit = vi.fn(async () => page())
    const verifyWholeAuditLog = vi.fn(async (): Promise<Result<ChainStatus>> => {
      chain = { ...chain, verifying: { checked: 0, total: chain.entries } }
      return { ok: true, value: chain }
    })
    const getAuditChainStatus = vi.fn(async (): Promise<Result<ChainStatus>> => {
      if (chain.verifying) {
        const checked = chain.verifying.checked + 400
        chain =
          checked >= chain.verifying.total
            ? { ...chain, verifying: null, lastFullVerification: { at: AT, entries: chain.entries, valid: true } }
            : { ...chain, verifying: { ...chain.verifying, checked } }
      }
      return { ok: true, value: chain }
    })
    const store = createAppStore(fakeApi({ listAudit, verifyWholeAuditLog, getAuditChainStatus }))
    return { store, listAudit, verifyWholeAuditLog, getAuditChainStatus, audit: () => store.getState().audit }
  }

  it('starts it, then asks every half second how far it got until it is done', async () => {
    const core = fakeCore()
    await core.audit().actions.open()
    await core.audit().actions.verifyWholeLog()
    expect(core.verifyWholeAuditLog).toHaveBeenCalledTimes(1)
    expect(core.audit().chain?.verifying).toEqual({ checked: 0, total: 1200 })
    expect(core.getAuditChainStatus).not.toHaveBeenCalled()

    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    expect(core.getAuditChainStatus).toHaveBeenCalledTimes(1)
    expect(core.audit().chain?.verifying).toEqual({ checked: 400, total: 1200 })
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    expect(core.audit().chain?.verifying).toEqual({ checked: 800, total: 1200 })
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    expect(core.audit().chain).toMatchObject({ verifying: null, lastFullVerification: { at: AT, entries: 1200, valid: true } })

    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS * 10)
    expect(core.getAuditChainStatus).toHaveBeenCalledTimes(3)
  })

  it('keeps showing a verification under way when a page asked for before it started answers after it, and follows it', async () => {
    const core = fakeCore()
    await core.audit().actions.open()
    let answer: () => void = () => {}
    const before: Result<AuditPage> = { ok: true, value: { entries: [], nextCursor: null, chain: INTACT } }
    core.listAudit.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve(before))))
    const refreshing = core.audit().actions.refresh()
    await core.audit().actions.verifyWholeLog()
    answer()
    await refreshing
    // Not "Verify the whole log" offered again: the page's chain is older than the verification's answer.
    expect(core.audit().chain?.verifying).toEqual({ checked: 0, total: 1200 })
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    expect(core.audit().chain?.verifying).toEqual({ checked: 400, total: 1200 })
    core.audit().actions.close()
  })

  it('stops asking when the screen closes', async () => {
    const core = fakeCore()
    await core.audit().actions.open()
    await core.audit().actions.verifyWholeLog()
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    core.audit().actions.close()
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS * 10)
    expect(core.getAuditChainStatus).toHaveBeenCalledTimes(1)
  })

  it('follows a verification already under way when the screen opens, asking one question at a time', async () => {
    const core = fakeCore({ ...INTACT, verifying: { checked: 400, total: 1200 } })
    await core.audit().actions.open()
    // A new filter loads the list again while the question is pending: still one poll.
    await core.audit().actions.applyFilter({ user: 'maria@example.com', action: null })
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    expect(core.getAuditChainStatus).toHaveBeenCalledTimes(1)
    expect(core.audit().chain?.verifying).toEqual({ checked: 800, total: 1200 })
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS)
    expect(core.audit().chain?.verifying).toBeNull()
  })

  it('shows why the verification could not start, or why its progress could not be read, and stops', async () => {
    const core = fakeCore()
    core.verifyWholeAuditLog.mockResolvedValueOnce({ ok: false, error: { code: 'DATABASE_BUSY', message: 'The directory is busy. Try again.' } })
    await core.audit().actions.open()
    await core.audit().actions.verifyWholeLog()
    expect(core.audit().verify).toEqual({ pending: false, error: 'The directory is busy. Try again.', success: null })

    await core.audit().actions.verifyWholeLog()
    core.getAuditChainStatus.mockResolvedValueOnce({ ok: false, error: { code: 'TRANSPORT', message: 'The app did not answer.' } })
    await vi.advanceTimersByTimeAsync(CHAIN_POLL_MS * 5)
    expect(core.getAuditChainStatus).toHaveBeenCalledTimes(1)
    expect(core.audit().verify.error).toBe('The app did not answer.')
  })
})
