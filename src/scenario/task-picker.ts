/**
 * Picks a task for each iteration of one user by weight, without replacement within a round: over
 * every `sum(weights)` picks, task `i` comes exactly `weights[i]` times, in an order drawn from the
 * user's own random sequence. So 3:1 over 100 iterations is exactly 75 and 25, not "about".
 */
export class TaskPicker {
  readonly #weights: readonly number[]
  readonly #left: number[]
  readonly #random: () => number
  #leftInRound = 0

  /** `weights` are whole numbers above 0. */
  constructor(weights: readonly number[], random: () => number) {
    this.#weights = weights
    this.#left = [...weights]
    this.#random = random
  }

  /** The index of the next task. */
  next(): number {
    if (this.#leftInRound === 0) {
      for (let i = 0; i < this.#weights.length; i++)
        this.#left[i] = this.#weights[i]!
      this.#leftInRound = this.#weights.reduce((sum, weight) => sum + weight, 0)
    }
    let draw = Math.floor(this.#random() * this.#leftInRound)
    let index = 0
    while (draw >= this.#left[index]!) {
      draw -= this.#left[index]!
      index++
    }
    this.#left[index]!--
    this.#leftInRound--
    return index
  }
}
