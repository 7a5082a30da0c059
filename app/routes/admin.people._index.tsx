import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { roles } from '~/domain/roles'
import { PeopleTable, RoleFilter } from '~/components/people-table'
import { listPeople } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { backgroundName, stageName } from '~/utils/labels.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Administer people · STO Pathway' }]

const querySchema = z.object({ role: z.enum(roles).optional().catch(undefined) })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'update:person:any')
  const { role } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const rows = listPeople(getDb(), { role }).map((p) => ({
    ...p,
    background: backgroundName(p.background),
    stage: stageName(p.stage),
  }))
  return { rows, role: role ?? null }
}

export default function AdminPeoplePage() {
  const { rows, role } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Administer people</h1>
      <p>
        <Link className="button" to="/admin/people/new">
          Add a person
        </Link>
      </p>
      <RoleFilter role={role} />
      <PeopleTable rows={rows} hrefFor={(p) => `/admin/people/${p.id}`} />
    </>
  )
}
