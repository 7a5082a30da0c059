/**
 * The development plan: items a candidate, mentor or HR adds, their status and comments.
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { people } from '#db/schema/people'
import { planItemComments, planItems } from '#db/schema/program'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { nowIso } from './program.server'

/** Plan items of a candidate with their comments. */
export function listPlanItems(db: Db, candidateId: number) {
  const items = db
    .select()
    .from(planItems)
    .where(eq(planItems.candidateId, candidateId))
    .orderBy(asc(planItems.status), asc(planItems.id))
    .all()
  const author = alias(people, 'author')
  const comments = items.length
    ? db
        .select({ comment: planItemComments, authorName: author.name })
        .from(planItemComments)
        .innerJoin(author, eq(author.id, planItemComments.authorId))
        .where(
          inArray(
            planItemComments.planItemId,
            items.map((i) => i.id),
          ),
        )
        .orderBy(asc(planItemComments.id))
        .all()
    : []
  return items.map((item) => ({
    ...item,
    comments: comments
      .filter((c) => c.comment.planItemId === item.id)
      .map((c) => ({ id: c.comment.id, body: c.comment.body, at: c.comment.createdAt, authorName: c.authorName })),
  }))
}

export function addPlanItem(
  tx: Db,
  candidateId: number,
  input: { capabilityId: string; action: string; dueOn: string | null; source: 'own' | 'background' },
  now = new Date(),
) {
  const { id } = tx
    .insert(planItems)
    .values({
      candidateId,
      capabilityId: input.capabilityId,
      source: input.source,
      action: input.action,
      status: 'open',
      dueOn: input.dueOn,
      createdAt: nowIso(now),
      createdBy: candidateId,
      updatedAt: nowIso(now),
    })
    .returning({ id: planItems.id })
    .get()
  recordAudit(
    tx,
    { actorId: candidateId, action: 'plan.add', entityType: 'plan_item', entityId: id, after: input },
    now,
  )
  return id
}

export function setPlanItemStatus(
  tx: Db,
  candidateId: number,
  itemId: number,
  status: 'open' | 'done' | 'dropped',
  now = new Date(),
) {
  const item = tx
    .select()
    .from(planItems)
    .where(and(eq(planItems.id, itemId), eq(planItems.candidateId, candidateId)))
    .get()
  if (!item) throw new RuleError('No such plan item of yours.', undefined, 404)
  tx.update(planItems)
    .set({ status, updatedAt: nowIso(now) })
    .where(eq(planItems.id, itemId))
    .run()
  recordAudit(
    tx,
    {
      actorId: candidateId,
      action: 'plan.status',
      entityType: 'plan_item',
      entityId: itemId,
      before: { status: item.status },
      after: { status },
    },
    now,
  )
}

export function commentOnPlanItem(
  tx: Db,
  authorId: number,
  candidateId: number,
  itemId: number,
  body: string,
  now = new Date(),
) {
  const item = tx
    .select({ id: planItems.id })
    .from(planItems)
    .where(and(eq(planItems.id, itemId), eq(planItems.candidateId, candidateId)))
    .get()
  if (!item) throw new RuleError('No such plan item.', undefined, 404)
  tx.insert(planItemComments)
    .values({ planItemId: itemId, authorId, body, createdAt: nowIso(now) })
    .run()
  recordAudit(tx, { actorId: authorId, action: 'plan.comment', entityType: 'plan_item', entityId: itemId }, now)
}
