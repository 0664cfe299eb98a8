/** Values in process memory with a time to live, copied in and out so callers never share state. */
export class TtlMap<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.value);
  }

  set(key: string, value: T): void {
    this.entries.set(key, { value: structuredClone(value), expiresAt: this.now() + this.ttlSeconds * 1000 });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
