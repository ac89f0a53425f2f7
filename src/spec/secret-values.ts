import { redactText, secretForms } from './redact.js'

/**
 * The most values learned during a run that are kept; past it the oldest go first. Texts are
 * scrubbed as they arrive, a second at most after the values they may hold, so the recent ones are
 * what matters: a scenario that logs in on every iteration learns a token per iteration.
 */
export const MAX_LEARNED_SECRETS = 4096
/** Texts already scrubbed, kept until the next value is learned: the same error messages come every second. */
const MAX_CACHED_TEXTS = 1000

/**
 * The secret values of one run, in the test thread: those of the options (`secretValuesOf`), and
 * those the workers learn as `ctx.http` sends them, in every form (`secretForms`).
 */
export class SecretValues {
  readonly #fixed: readonly string[]
  /** Learned values as the workers sent them, oldest first. */
  readonly #learned = new Set<string>()
  #forms: readonly string[] | null = null
  #longest = 0
  readonly #scrubbed = new Map<string, string>()

  /** `fixed`: values known before the run, already in every form. */
  constructor(fixed: readonly string[] = []) {
    this.#fixed = fixed
  }

  /** Values a worker learned; values seen before cost a lookup each. */
  add(values: readonly string[]): void {
    for (const value of values) {
      if (this.#learned.has(value))
        continue
      if (this.#learned.size >= MAX_LEARNED_SECRETS)
        this.#learned.delete(this.#learned.values().next().value!)
      this.#learned.add(value)
      this.#forms = null
      this.#scrubbed.clear()
    }
  }

  /** Every value in every form, longest first: what `redactText` and `redactDeep` take. */
  values(): readonly string[] {
    if (this.#forms === null) {
      this.#forms = this.#learned.size === 0
        ? this.#fixed
        : secretForms([
            ...this.#fixed,
            ...this.#learned,
          ])
      this.#longest = this.#forms[0]?.length ?? 0
    }
    return this.#forms
  }

  /** The length of the longest value, in any of its forms. */
  get longest(): number {
    this.values()
    return this.#longest
  }

  /** `text` with every known secret value replaced by `[redacted]`. */
  scrub(text: string): string {
    const values = this.values()
    if (values.length === 0 || text === '')
      return text
    const cached = this.#scrubbed.get(text)
    if (cached !== undefined)
      return cached
    const scrubbed = redactText(text, values)
    if (this.#scrubbed.size >= MAX_CACHED_TEXTS)
      this.#scrubbed.clear()
    this.#scrubbed.set(text, scrubbed)
    return scrubbed
  }
}
