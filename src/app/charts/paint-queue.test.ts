import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A controllable clock and animation-frame queue: each paint "takes" the time it advances the clock by.
let now = 0;
let frames: FrameRequestCallback[] = [];

beforeEach(() => {
  vi.resetModules();
  now = 0;
  frames = [];
  vi.stubGlobal('performance', { now: () => now });
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
});

afterEach(() => vi.unstubAllGlobals());

function runFrame(): void {
  const pending = frames;
  frames = [];
  pending.forEach((callback) => callback(now));
}

describe('paint queue', () => {
  it('spreads paints over frames, at most about 6 ms of them per frame', async () => {
    const { paintSoon } = await import('./paint-queue');
    const painted: number[] = [];
    // Ten paints of 2 ms each: 20 ms in one frame would drop frames.
    for (let i = 0; i < 10; i++) {
      paintSoon({ i }, () => {
        now += 2;
        painted.push(i);
      });
    }
    expect(painted).toEqual([]);
    const perFrame: number[] = [];
    while (frames.length > 0) {
      const before = painted.length;
      runFrame();
      perFrame.push(painted.length - before);
    }
    // The budget is checked after each paint: the third 2 ms paint reaches 6 ms and ends the frame.
    expect(perFrame).toEqual([3, 3, 3, 1]);
    expect(painted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('paints a target once with its latest job, in its first place in the queue', async () => {
    const { paintSoon } = await import('./paint-queue');
    const chart = {};
    const thumbnail = {};
    const painted: string[] = [];
    paintSoon(chart, () => painted.push('chart, old data'));
    paintSoon(thumbnail, () => painted.push('thumbnail'));
    paintSoon(chart, () => painted.push('chart, new data'));
    runFrame();
    expect(painted).toEqual(['chart, new data', 'thumbnail']);
    expect(frames).toHaveLength(0);
  });

  it('drops a cancelled paint (its canvas is gone)', async () => {
    const { cancelPaint, paintSoon } = await import('./paint-queue');
    const canvas = {};
    const painted: string[] = [];
    paintSoon(canvas, () => painted.push('gone'));
    paintSoon({}, () => painted.push('kept'));
    cancelPaint(canvas);
    runFrame();
    expect(painted).toEqual(['kept']);
  });
});
