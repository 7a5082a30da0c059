import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { destroySession } from '~/utils/session.server'

/** Logging out is a change, so it is a POST; a GET just goes home. */
export function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  return redirect('/login', { headers: { 'Set-Cookie': await destroySession(request), 'Clear-Site-Data': '"cache"' } })
}
