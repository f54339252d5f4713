// Account > Security, "2FA over time": the trend of the last 90 days. Fetched
// when the screen opens, and again whenever the Security counts changed (an
// enforcement here, a change elsewhere that the screen noticed).
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { DistributionTrend } from '../components/DistributionTrend'
import { PageState } from '../components/PageState'
import { useAppStore } from '../store/context'

export function SecurityTrend() {
  const { history, loading, loadError } = useAppStore(useShallow((s) => ({ history: s.history.history, loading: s.history.loading, loadError: s.history.loadError })))
  const overview = useAppStore((s) => s.security.overview)
  const { load, refresh } = useAppStore((s) => s.history.actions)

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    if (overview !== null) void refresh()
  }, [overview, refresh])

  return (
    <section className="card" aria-labelledby="trend-heading">
      <div>
        <h2 id="trend-heading">2FA over time</h2>
        <p className="muted">
          Users by 2FA status at the end of each day{history ? ` over the last ${history.days} days` : ''}, with the changes of enforcement and their deadlines.
        </p>
      </div>
      {history ? (
        <DistributionTrend history={history} />
      ) : (
        <PageState loading={loading} loadingLabel="Loading the trend…" error={loadError} action={loadError ? { label: 'Try again', onClick: () => void load() } : undefined} />
      )}
    </section>
  )
}
