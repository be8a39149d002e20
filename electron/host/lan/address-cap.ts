/** Counts open connections per remote address and refuses one over the cap. */
export class AddressCap {
  private readonly open = new Map<string, number>()

  constructor(private readonly max: number) {}

  /** Takes a slot for `address`; false when it already has `max` open. */
  acquire(address: string): boolean {
    const n = this.open.get(address) ?? 0
    if (n >= this.max) return false
    this.open.set(address, n + 1)
    return true
  }

  /** Gives back a slot taken by acquire. */
  release(address: string): void {
    const n = (this.open.get(address) ?? 0) - 1
    if (n <= 0) this.open.delete(address)
    else this.open.set(address, n)
  }
}
