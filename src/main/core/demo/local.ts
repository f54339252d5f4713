// `twofa-admin seed-demo` over the core: a million-row load belongs to a
// command run on purpose, not to a click, so it is not part of the screens' contract.
import type { CoreContext } from '../context'
import { seedDemoDirectory, type SeedDemoResult } from './demo-seed'

export function demoLocal(ctx: CoreContext) {
  return {
    seedDemo(options: { users: number; seed: number; force: boolean }): SeedDemoResult {
      const result = seedDemoDirectory(ctx.db, ctx.dataKey.get(), { ...options, now: ctx.clock.now(), actor: 'cli' })
      // Every key moved: the jump signposts are rebuilt from scratch when next needed.
      ctx.signposts.clear()
      return result
    }
  }
}
