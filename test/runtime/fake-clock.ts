import { Clock } from '../../src/kube/clock';

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  private time: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  constructor(start = '2026-12-01T00:00:00Z') {
    this.time = new Date(start).getTime();
  }

  public now(): Date {
    return new Date(this.time);
  }

  public after(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return () => { this.timers = this.timers.filter((t) => t.id !== id); };
  }

  /** Moves time forward by `ms`, firing due timers in time order. */
  public advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  /** How many timers are pending. */
  public get pending(): number {
    return this.timers.length;
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}
