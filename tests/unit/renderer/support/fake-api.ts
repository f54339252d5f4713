// A fake window.api for store tests: the methods a test gives, and an
// unmistakable failure from any other, so a stray call shows in the assertions.
import type { AdminApi, ApiMethod } from '../../../../src/shared/contract'
import type { Result } from '../../../../src/shared/errors'

type FakeMethod = (input: never) => Promise<Result<unknown>>

export function fakeApi(methods: Partial<Record<ApiMethod, FakeMethod>>): AdminApi {
  return new Proxy({} as AdminApi, {
    get: (_target, name) =>
      methods[name as ApiMethod] ?? (async () => ({ ok: false, error: { code: 'INTERNAL', message: `The fake API has no ${String(name)}.` } }))
  })
}
