import { useSyncExternalStore } from 'react'

const noSubscription = () => () => {}

/**
 * false during server rendering and the first client render, true once hydrated (charts render
 * only then). useSyncExternalStore gives React both snapshots, so no effect sets state.
 */
export function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  )
}
