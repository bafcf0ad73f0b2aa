import type { HarnessInput } from "./hostStep";

/**
 * One host's pending harness inputs, oldest first. A burst of 200,000 writes
 * is handed over a few thousand per step; taking them from the front by
 * index keeps that linear (Array#splice from the front made it quadratic).
 */
export class InputQueue {
  private items: HarnessInput[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  first(): HarnessInput | undefined {
    return this.items[this.head];
  }

  push(input: HarnessInput): void {
    this.items.push(input);
  }

  /** Removes and returns the oldest `max` inputs (all of them when fewer are left). */
  take(max: number): HarnessInput[] {
    const end = Math.min(this.items.length, this.head + max);
    const taken =
      this.head === 0 && end === this.items.length ? this.items : this.items.slice(this.head, end);
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      // Let go of what was taken once it is most of the array.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }
}
