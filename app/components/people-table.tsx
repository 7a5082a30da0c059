import { Form, Link } from '@remix-run/react'
import { roles, type Role } from '~/domain/roles'
import { roleLabels } from '~/domain/navigation'

export type PersonRow = {
  id: number
  name: string
  email: string
  active: boolean
  roles: Role[]
  background: string | null
  stage: string | null
  mentorName: string | null
}

/** The people list; `hrefFor` decides where a name leads (admin edit page or candidate profile). */
export function PeopleTable({ rows, hrefFor }: { rows: PersonRow[]; hrefFor: (row: PersonRow) => string | null }) {
  if (rows.length === 0) return <p>Nobody matches.</p>
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Roles</th>
          <th scope="col">Background</th>
          <th scope="col">Stage</th>
          <th scope="col">Mentor</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => {
          const href = hrefFor(p)
          return (
            <tr key={p.id}>
              <td>
                {href ? <Link to={href}>{p.name}</Link> : p.name}
                {p.active ? null : <span className="badge inactive">deactivated</span>}
              </td>
              <td>{p.email}</td>
              <td>
                {p.roles.map((r) => (
                  <span key={r} className="badge">
                    {roleLabels[r]}
                  </span>
                ))}
              </td>
              <td>{p.background ?? '—'}</td>
              <td>{p.stage ?? '—'}</td>
              <td>{p.mentorName ?? '—'}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

export function RoleFilter({ role }: { role: string | null }) {
  return (
    <Form
      method="get"
      className="no-print"
      style={{ display: 'flex', gap: '0.5rem', alignItems: 'end', marginBottom: '1rem' }}
    >
      <div className="field">
        <label htmlFor="role-filter">Show</label>
        <select id="role-filter" name="role" defaultValue={role ?? ''}>
          <option value="">Everyone</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}s
            </option>
          ))}
        </select>
      </div>
      <button className="secondary" type="submit">
        Filter
      </button>
    </Form>
  )
}
