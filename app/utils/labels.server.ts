/** Content ids shown as their names (falls back to the id if content no longer has it). */
import { findBackground, findStage } from './content.server'

export const backgroundName = (id: string | null) => (id === null ? null : (findBackground(id)?.name ?? id))
export const stageName = (id: string | null) => (id === null ? null : (findStage(id)?.name ?? id))
