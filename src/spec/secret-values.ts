import { MIN_SECRET_LENGTH, REDACTED, secretForms } from './redact.js'

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
 *
 * A text is scrubbed in one pass: at each position, the forms that begin with the next
 * `MIN_SECRET_LENGTH` characters are looked up in an index and the longest that matches is
 * replaced, so the cost grows with the text, not with the number of values (4,096 tokens).
 */
export class SecretValues {
  readonly #fixed: readonly string[]
  /** Learned values as the workers sent them, oldest first, each with its forms (computed once). */
  readonly #learned = new Map<string, readonly string[]>()
  #forms: readonly string[] | null = null
  /** Forms by their first `MIN_SECRET_LENGTH` characters, longest first. */
  #index: Map<string, string[]> | null = null
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
        this.#learned.delete(this.#learned.keys().next().value!)
      this.#learned.set(value, secretForms([value]))
      this.#forms = null
      this.#index = null
      this.#scrubbed.clear()
    }
  }

  /** Every value in every form, longest first: what `redactText` and `redactDeep` take. */
  values(): readonly string[] {
    if (this.#forms === null) {
      const forms = new Set(this.#fixed)
      for (const learned of this.#learned.values()) {
        for (const form of learned)
          forms.add(form)
      }
      this.#forms = [...forms].sort((a, b) => b.length - a.length)
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
    if (values.length === 0 || text.length < MIN_SECRET_LENGTH)
      return text
    const cached = this.#scrubbed.get(text)
    if (cached !== undefined)
      return cached
    const index = this.#index ??= indexByPrefix(values)
    let scrubbed = ''
    let copiedTo = 0
    for (let at = 0; at <= text.length - MIN_SECRET_LENGTH;) {
      const match = index.get(text.slice(at, at + MIN_SECRET_LENGTH))?.find(form => text.startsWith(form, at))
      if (match === undefined) {
        at++
        continue
      }
      scrubbed += text.slice(copiedTo, at) + REDACTED
      at += match.length
      copiedTo = at
    }
    scrubbed += text.slice(copiedTo)
    if (this.#scrubbed.size >= MAX_CACHED_TEXTS)
      this.#scrubbed.clear()
    this.#scrubbed.set(text, scrubbed)
    return scrubbed
  }
}

/** `forms` (longest first, each at least `MIN_SECRET_LENGTH` long) by their first characters, keeping the order. */
function indexByPrefix(forms: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>()
  for (const form of forms) {
    const prefix = form.slice(0, MIN_SECRET_LENGTH)
    const list = index.get(prefix)
    if (list)
      list.push(form)
    else
      index.set(prefix, [form])
  }
  return index
}
