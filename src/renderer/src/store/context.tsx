// How screens reach the store: main.tsx provides the one instance; a test can
// provide a fresh one. Presentational components never use this.
import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { AppState } from './app-state'
import type { AppStore } from './app-store'

const AppStoreContext = createContext<AppStore | null>(null)

export function AppStoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <AppStoreContext.Provider value={store}>{children}</AppStoreContext.Provider>
}

/** A narrow selector; pick several fields with useShallow (zustand/react/shallow). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(AppStoreContext)
  if (!store) throw new Error('useAppStore needs an AppStoreProvider above it.')
  return useStore(store, selector)
}
