/**
 * The policies a generation worker holds, by model version id: at most `capacity` (each costs its
 * weights in memory), least recently used evicted first. A policy in use by a running generation is
 * never disposed under it: eviction waits until its last lease is released.
 */
export interface Disposable {
  dispose(): void;
}

export interface Lease<T> {
  policy: T;
  release(): void;
}

interface Entry<T> {
  policy: T;
  leases: number;
}

export class PolicyCache<T extends Disposable> {
  /** Loaded policies, least recently used first (Map keeps insertion order; a use re-inserts). */
  private readonly loaded = new Map<string, Entry<T>>();
  /** Loads in flight: concurrent requests for one version share one load. */
  private readonly loading = new Map<string, Promise<Entry<T>>>();

  constructor(
    private readonly capacity: number,
    private readonly load: (versionId: string) => Promise<T>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`policy cache capacity ${capacity}: use a whole number ≥ 1`);
  }

  /** The policy of `versionId`, loaded if needed; release the lease when done with it. */
  async acquire(versionId: string): Promise<Lease<T>> {
    let entry = this.loaded.get(versionId);
    if (entry) {
      this.loaded.delete(versionId);
      this.loaded.set(versionId, entry);
    } else {
      let pending = this.loading.get(versionId);
      if (!pending) {
        pending = this.load(versionId).then((policy) => {
          const fresh = { policy, leases: 0 };
          this.loaded.set(versionId, fresh);
          return fresh;
        });
        this.loading.set(versionId, pending);
        pending.then(
          () => this.loading.delete(versionId),
          () => this.loading.delete(versionId), // a failed load is retried by the next request
        );
      }
      entry = await pending;
      // Evicted between its load and this waiter resuming (every other one leased): load it again.
      if (this.loaded.get(versionId) !== entry) return this.acquire(versionId);
    }
    entry.leases++;
    this.evict();
    let released = false;
    const held = entry;
    return {
      policy: entry.policy,
      release: () => {
        if (released) return;
        released = true;
        held.leases--;
        this.evict();
      },
    };
  }

  /** Version ids held, least recently used first. */
  ids(): string[] {
    return [...this.loaded.keys()];
  }

  /** Disposes every policy (the worker is stopping). */
  clear(): void {
    for (const entry of this.loaded.values()) entry.policy.dispose();
    this.loaded.clear();
  }

  private evict(): void {
    for (const [id, entry] of this.loaded) {
      if (this.loaded.size <= this.capacity) return;
      if (entry.leases > 0) continue;
      this.loaded.delete(id);
      entry.policy.dispose();
    }
  }
}
