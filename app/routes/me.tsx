import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/utils/auth.server'
import { requirePermission } from '~/utils/permissions.server'

/** "My profile": the signed-in candidate's own profile page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:profile:own')
  throw redirect(`/candidates/${user.id}`)
}
