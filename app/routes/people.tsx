import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { roles } from '~/domain/roles'
import { PeopleTable, RoleFilter } from '~/components/people-table'
import { listPeople } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { backgroundName, stageName } from '~/utils/labels.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'People · STO Pathway' }]

const querySchema = z.object({ role: z.enum(roles).optional().catch(undefined) })

/** Everyone in the organisation, for HR and admins (read only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:person:any')
  const { role } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const rows = listPeople(getDb(), { role }).map((p) => ({
    ...p,
    background: backgroundName(p.background),
    stage: stageName(p.stage),
  }))
  return { rows, role: role ?? null, isAdmin: user.roles.includes('admin') }
}

export default function PeoplePage() {
  const { rows, role, isAdmin } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>People</h1>
      <RoleFilter role={role} />
      <PeopleTable
        rows={rows}
        hrefFor={(p) =>
          isAdmin ? `/admin/people/${p.id}` : p.roles.includes('candidate') ? `/candidates/${p.id}` : null
        }
      />
    </>
  )
}
