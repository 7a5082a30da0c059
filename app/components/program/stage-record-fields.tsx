type Options = {
  riskTiers: Array<{ value: string; label: string }>
  delegatedDomains: Array<{ value: string; label: string }>
}

/** What later stages record: asked for when enrolling beyond Shadow or advancing. */
export function StageRecordFields({ options }: { options: Options }) {
  return (
    <fieldset>
      <legend>Stage details (only for the stages that record them)</legend>
      <div className="field">
        <label htmlFor="rec-domain">Assistant STO: delegated domain</label>
        <select id="rec-domain" name="delegatedDomain" defaultValue="">
          <option value="">—</option>
          {options.delegatedDomains.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="rec-pod">Low-Risk Pod Leadership: pod or product led</label>
        <input id="rec-pod" name="podName" type="text" maxLength={120} />
      </div>
      <div className="field">
        <label htmlFor="rec-tier">Low-Risk Pod Leadership: the pod’s risk tier</label>
        <select id="rec-tier" name="riskTier" defaultValue="">
          <option value="">—</option>
          {options.riskTiers.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      <div className="checks" role="group" aria-label="Full STO Certification: certified risk tiers">
        {options.riskTiers.map((t) => (
          <label key={t.value}>
            <input type="checkbox" name="certifiedTiers" value={t.value} /> Certified for {t.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}
