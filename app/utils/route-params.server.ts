import { getPerson } from '~/models/people.server'
import { getDb } from './db.server'
import { parseId } from './forms.server'
import { notFound } from './permissions.server'

/** The person a `:personId` route param names, or the 404 page. */
export function personFromParam(personId: string | undefined) {
  const id = parseId(personId)
  const person = id === null ? null : getPerson(getDb(), id)
  if (!person) throw notFound('There is no person with that id.')
  return person
}
