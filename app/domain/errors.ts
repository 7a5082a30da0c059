/**
 * A business rule refused the operation. `field` names the form field to show it beside;
 * the transaction that threw it rolls back, so nothing is written.
 */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
  ) {
    super(message)
    this.name = 'RuleError'
  }
}
