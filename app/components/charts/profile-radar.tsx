import { Legend, PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart } from 'recharts'

export type RadarPoint = { label: string; self: number | null; others: number | null; target: number | null }

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1))

/** Self vs. all others vs. target on the 1–5 scale, for domains or capabilities, with its table. */
export function ProfileRadar({ points, width, height }: { points: RadarPoint[]; width: number; height: number }) {
  return (
    <RadarChart
      accessibilityLayer={false}
      width={width}
      height={height}
      data={points}
      outerRadius={Math.min(width, height) / 2 - 70}
      margin={{ top: 10, right: 80, bottom: 10, left: 80 }}
    >
      <PolarGrid />
      <PolarAngleAxis dataKey="label" tick={{ fontSize: 11 }} />
      <PolarRadiusAxis domain={[0, 5]} tickCount={6} angle={90} tick={{ fontSize: 10 }} />
      <Radar
        name="Target"
        dataKey="target"
        stroke="#8a5a00"
        fill="#f4b942"
        fillOpacity={0.15}
        strokeDasharray="4 3"
        isAnimationActive={false}
      />
      <Radar
        name="All others"
        dataKey="others"
        stroke="#1f3a5f"
        fill="#1f3a5f"
        fillOpacity={0.25}
        isAnimationActive={false}
      />
      <Radar name="Self" dataKey="self" stroke="#a42323" fill="#a42323" fillOpacity={0.08} isAnimationActive={false} />
      <Legend />
    </RadarChart>
  )
}

export function ProfileTable({
  points,
  caption,
  firstColumn,
}: {
  points: RadarPoint[]
  caption: string
  firstColumn: string
}) {
  return (
    <table>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{firstColumn}</th>
          <th scope="col">Self</th>
          <th scope="col">All others</th>
          <th scope="col">Target</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.label}>
            <th scope="row">{p.label}</th>
            <td>{fmt(p.self)}</td>
            <td>{fmt(p.others)}</td>
            <td>{fmt(p.target)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
