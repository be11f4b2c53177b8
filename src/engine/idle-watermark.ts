/**
 * The watermark of an idle source: with no event for `idleMs`, it follows the wall clock (minus the allowed
 * lateness), as Numaflow's `idleSource` does, so the last window still closes when orders stop. Pure.
 */
export class IdleWatermark {
  private lastEventWallMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly allowedLatenessMs: number,
    private readonly idleMs = allowedLatenessMs + 1_000,
  ) {}

  sawEvent(wallMs: number): void {
    this.lastEventWallMs = wallMs;
  }

  /** The watermark to advance to now, or undefined while events keep coming. */
  due(wallMs: number): number | undefined {
    return wallMs - this.lastEventWallMs >= this.idleMs ? wallMs - this.allowedLatenessMs : undefined;
  }
}
