import { Random, hashString } from "../engine/random";

/**
 * The jitter of one direction of one path (`from>to`): its own random stream
 * split from the run seed, so no other traffic, and no scheduling, changes
 * its draws. It remembers how many draws it made, so a host handed to a new
 * worker (after a crash) carries on with the same stream.
 */
export class JitterStream {
  private readonly random: Random;
  private count = 0;

  constructor(runSeed: number, from: string, to: string, draws = 0) {
    this.random = new Random(hashString(`${runSeed}/jitter/${from}>${to}`));
    for (let i = 0; i < draws; i++) this.next(1);
  }

  /** Draws made so far. */
  get draws(): number {
    return this.count;
  }

  /** A delay drawn uniformly from [0, maxUs]. */
  next(maxUs: number): number {
    this.count++;
    return Math.floor(this.random.next() * (maxUs + 1));
  }
}
