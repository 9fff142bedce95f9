/** Long-lived responses (live-update streams) the service must end when it stops. */
export class StreamRegistry {
  private readonly open = new Set<() => void>();

  /** Registers a closer; returns the function that unregisters it. */
  add(close: () => void): () => void {
    this.open.add(close);
    return () => void this.open.delete(close);
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const close of [...this.open]) close();
    this.open.clear();
  }
}
