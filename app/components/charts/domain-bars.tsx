import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from 'recharts'

const colours = ['#1f3a5f', '#a42323', '#1d6b3a', '#8a5a00']

/** Others' mean per domain, one bar per background. */
export function DomainBars({
  data,
  series,
  width,
  height,
}: {
  data: Array<Record<string, string | number | null>>
  series: Array<{ key: string; name: string }>
  width: number
  height: number
}) {
  return (
    <BarChart
      accessibilityLayer={false}
      width={width}
      height={height}
      data={data}
      margin={{ top: 10, right: 20, bottom: 10, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="domain" tick={{ fontSize: 11 }} interval={0} />
      <YAxis domain={[0, 5]} ticks={[0, 1, 2, 3, 4, 5]} tick={{ fontSize: 11 }} />
      {series.map((s, i) => (
        <Bar key={s.key} dataKey={s.key} name={s.name} fill={colours[i % colours.length]} isAnimationActive={false} />
      ))}
      <Legend />
    </BarChart>
  )
}
