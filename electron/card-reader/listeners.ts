/** A minimal typed listener set: add returns the unsubscribe function. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>()

  /** Subscribes; call the result to unsubscribe. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener)
    return () => this.set.delete(listener)
  }

  /** Calls every listener with the value. */
  emit(value: T): void {
    for (const l of [...this.set]) l(value)
  }

  /** Drops every listener. */
  clear(): void {
    this.set.clear()
  }
}
