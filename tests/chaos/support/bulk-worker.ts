// A worker of the bulk concurrency test (tests/chaos/bulk-concurrency.test.ts):
// opens the real core on the shared database and fires bulk changes and
// single-user changes through the dispatcher as the command line does, as fast
// as it can: disabling and enabling the administrators (the last-admin rule
// under a race), and enforce / exempt / follow policy for many users at once and
// for one. Run as `node bulk-worker.cjs '<json config>'`; prints one line of JSON.
import type { BulkAction, BulkSelection } from '../../../src/shared/contract'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'

interface Config {
  dbPath: string
  seed: number
  operations: number
  adminIds: number[]
  userIds: number[]
}

/** What the rules allow a race to answer; anything else is a failure. */
const EXPECTED = new Set(['LAST_ADMIN', 'ADMIN_ALWAYS_ENFORCED'])

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Config
  let state = config.seed >>> 0
  const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const core = openCore({ dbPath: config.dbPath, keyProvider: fileKeyProvider(config.dbPath), passwordKdf: { N: 2 ** 10, r: 8, p: 1 } })
  const report = { bulkChanged: 0, bulkCalls: 0, singleCalls: 0, lastAdminKept: 0, refused: {} as Record<string, number>, unexpected: [] as string[] }
  const some = (ids: readonly number[]): number[] => ids.filter(() => next() < 0.5)
  try {
    for (let i = 0; i < config.operations; i++) {
      const roll = next()
      let result
      if (roll < 0.3) {
        // Disable every administrator (and some users) at once: the rule keeps one enabled.
        const selection: BulkSelection = { userIds: [...config.adminIds, ...some(config.userIds).slice(0, 50)] }
        result = await core.dispatch('applyBulkChange', CLI_CALLER, { selection, action: 'disable' })
        if (result.ok) {
          report.bulkCalls++
          report.bulkChanged += result.value.willChange
          report.lastAdminKept += result.value.blockedLastAdmin
        }
      } else if (roll < 0.45) {
        result = await core.dispatch('updateUser', CLI_CALLER, { userId: pick(config.adminIds), disabled: next() < 0.5 })
        report.singleCalls++
      } else if (roll < 0.55) {
        result = await core.dispatch('updateUser', CLI_CALLER, { userId: pick(config.userIds), disabled: false })
        report.singleCalls++
      } else if (roll < 0.85) {
        const action = pick<BulkAction>(['enforce', 'exempt', 'inherit'])
        const selection: BulkSelection = next() < 0.5 ? { filter: { status: pick(['pending', 'inactive'] as const) } } : { userIds: some([...config.userIds, ...config.adminIds]) }
        if ('userIds' in selection && selection.userIds.length === 0) continue
        result = await core.dispatch('applyBulkChange', CLI_CALLER, { selection, action })
        if (result.ok) {
          report.bulkCalls++
          report.bulkChanged += result.value.willChange
        }
      } else {
        result = await core.dispatch('setEnforcement', CLI_CALLER, { userId: pick([...config.userIds, ...config.adminIds]), enforcement: pick(['enforced', 'exempt', 'inherit'] as const) })
        report.singleCalls++
      }
      if (!result.ok) {
        if (EXPECTED.has(result.error.code)) report.refused[result.error.code] = (report.refused[result.error.code] ?? 0) + 1
        else report.unexpected.push(`${result.error.code}: ${result.error.message}`)
      }
    }
  } finally {
    core.close()
  }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
