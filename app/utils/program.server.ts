/** Shared steps of the program routes: load a candidate by URL id and authorize against them and their mentor. */
import { canAccess, type PermissionAction, type PermissionEntity } from '~/domain/permissions'
import { getPerson, type User } from '~/models/people.server'
import { getDb } from './db.server'
import { parseId } from './forms.server'
import { forbidden, notFound } from './permissions.server'

export function loadCandidateFor(
  user: User,
  candidateIdParam: string | undefined,
  action: PermissionAction = 'read',
  entity: PermissionEntity = 'program',
) {
  const id = parseId(candidateIdParam)
  const person = id === null ? null : getPerson(getDb(), id)
  if (!person?.candidate) throw notFound('There is no candidate with that id.')
  if (!canAccess(user, action, entity, { ownerId: person.id, mentorId: person.candidate.mentorId })) throw forbidden()
  return { ...person, candidate: person.candidate }
}

export const today = () => new Date().toISOString().slice(0, 10)
