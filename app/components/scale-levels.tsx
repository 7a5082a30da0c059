/** The five proficiency levels with their names and meanings. */
export function ScaleLevels({
  scale,
  className = 'levels',
}: {
  scale: Array<{ level: number; name: string; description: string }>
  className?: string
}) {
  return (
    <ol className={className}>
      {scale.map((l) => (
        <li key={l.level}>
          <span className="level-name">
            {l.level} · {l.name}
          </span>
          <span>{l.description}</span>
        </li>
      ))}
    </ol>
  )
}
