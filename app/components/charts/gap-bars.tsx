import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, XAxis, YAxis } from 'recharts'

export type GapPoint = { label: string; gap: number }

/** Gap to the stage's exit target per capability (others minus target): below zero is short of target. */
export function GapBars({ points, width, height }: { points: GapPoint[]; width: number; height: number }) {
  return (
    <BarChart
      accessibilityLayer={false}
      width={width}
      height={height}
      data={points}
      layout="vertical"
      margin={{ left: 20, right: 20, top: 10, bottom: 10 }}
    >
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" domain={[-4, 4]} ticks={[-4, -3, -2, -1, 0, 1, 2, 3, 4]} tick={{ fontSize: 11 }} />
      <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 11 }} interval={0} />
      <ReferenceLine x={0} stroke="#1b2430" />
      <Bar dataKey="gap" isAnimationActive={false}>
        {points.map((p) => (
          <Cell key={p.label} fill={p.gap < 0 ? '#a42323' : '#1d6b3a'} />
        ))}
      </Bar>
    </BarChart>
  )
}

export function GapTable({ points }: { points: GapPoint[] }) {
  return (
    <table>
      <caption className="sr-only">Gap to target per capability</caption>
      <thead>
        <tr>
          <th scope="col">Capability</th>
          <th scope="col">Gap to target</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.label}>
            <th scope="row">{p.label}</th>
            <td>{p.gap > 0 ? `+${p.gap.toFixed(1)}` : p.gap.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
