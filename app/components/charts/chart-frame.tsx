import type { ReactNode } from 'react'
import { useHydrated } from '~/components/use-hydrated'

/**
 * A chart drawn after hydration into a box of fixed size (recharts renders nothing on the server,
 * and a fixed box keeps the page from jumping), always followed by its data table.
 */
export function ChartFrame({
  title,
  width,
  height,
  chart,
  table,
}: {
  title: string
  width: number
  height: number
  chart: () => ReactNode
  table: ReactNode
}) {
  const hydrated = useHydrated()
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {/* The picture is for sighted readers; the table below carries the same data for everyone. */}
      <div className="chart-box" style={{ width, maxWidth: '100%', height }} aria-hidden="true">
        {hydrated ? chart() : <span className="muted">Loading chart…</span>}
      </div>
      <details className="chart-table" open>
        <summary>Data of “{title}”</summary>
        {table}
      </details>
    </figure>
  )
}
