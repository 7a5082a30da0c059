import type { MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'

export const meta: MetaFunction = () => [{ title: 'How your data is used · STO Pathway' }]

/**
 * A static page for everyone, raters included (no account needed): what the app keeps and who sees
 * it. It has no loader on purpose; the benchmark also uses it as the framework's floor (docs/performance.md).
 */
export default function PrivacyPage() {
  return (
    <article className="card">
      <h1>How your data is used</h1>
      <p>
        STO Pathway assesses and develops people preparing to own an AI product end to end. What they and their
        colleagues enter here is confidential and is used only for their development and for decisions about their
        progress in the program.
      </p>
      <h2>If you give feedback as a rater</h2>
      <ul>
        <li>
          Your answers from a peer, direct report or stakeholder are never shown on their own: the candidate sees a
          group’s figures only when at least three people of that kind answered, and otherwise only pooled with other
          hidden groups of at least three.
        </li>
        <li>
          A manager’s answers are shown as the manager’s, because there is usually only one manager; the form tells you
          this before you answer.
        </li>
        <li>Written comments are shown without names, in an order that does not follow who wrote them.</li>
        <li>
          Your personal link is exchanged for a short session when you open it, so it does not stay in your browser’s
          address bar; you need no account.
        </li>
      </ul>
      <h2>If you are a candidate</h2>
      <ul>
        <li>You, your mentor and HR can read your reports, milestones and plan; other candidates cannot.</li>
        <li>Figures are frozen when a feedback cycle closes, so what you read later is what was decided on.</li>
        <li>
          Every decision about your progress — a milestone sign-off, an advancement, an override — is made by a person,
          with the reason recorded and shown to you in your timeline.
        </li>
      </ul>
      <h2>Records</h2>
      <p>
        Changes that matter to careers are kept in an audit log that cannot be edited, so anyone can later see who
        decided what and when.
      </p>
      <p>
        <Link to="/">Back to STO Pathway</Link>
      </p>
    </article>
  )
}
