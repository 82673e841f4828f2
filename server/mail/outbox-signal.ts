/**
 * Lets code that queued email ask the outbox worker to run now rather than at its next tick.
 * Without a worker listening (tests, CLI) a wake-up simply does nothing.
 */
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  wake(): void {
    for (const listener of this.listeners) listener();
  }

  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
