/**
 * Gate awaited before every training step: pause and resume, run to the next measurement ("step"),
 * and an optional cap on steps per second so a lecture can watch the curves move. (The core's loops let queued
 * messages such as a pause through on their own: src/core/cancellation.ts.)
 */
export class Pacer {
  private paused = false;
  private pauseAtMeasurement = false;
  private wake: (() => void) | null = null;
  private nextDue = 0;

  constructor(
    private stepsPerSecond: number | null,
    private readonly signal: AbortSignal,
    private readonly onPausedChange: (paused: boolean) => void,
  ) {
    signal.addEventListener('abort', () => this.release());
  }

  readonly beforeStep = async (): Promise<void> => {
    while (this.paused && !this.signal.aborted) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.stepsPerSecond) {
      const now = performance.now();
      const wait = this.nextDue - now;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.nextDue = Math.max(now, this.nextDue) + 1000 / this.stepsPerSecond;
    }
  };

  /** Called at each measurement. */
  measured(): void {
    if (this.pauseAtMeasurement) {
      this.pauseAtMeasurement = false;
      this.setPaused(true);
    }
  }

  pause(): void {
    this.setPaused(true);
  }

  resume(): void {
    this.pauseAtMeasurement = false;
    this.setPaused(false);
  }

  step(): void {
    this.pauseAtMeasurement = true;
    this.setPaused(false);
  }

  setSpeed(stepsPerSecond: number | null): void {
    this.stepsPerSecond = stepsPerSecond;
    this.nextDue = 0;
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.onPausedChange(paused);
    if (!paused) this.release();
  }

  private release(): void {
    this.wake?.();
    this.wake = null;
  }
}
