/**
 * Progress for a long run: a line at once, and a time-left estimate that does not jump about
 * when documents take uneven time (cache hits first, four lanes finishing in bursts).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, lineProgress, SteadyEstimate } from '../../src/cli/progress-reporters.ts';

/** Completion times of 1,000 documents over four lanes: 100 cache hits, then 50-450 ms each (deterministic). */
function completionTimes(): number[] {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const lanes = [0, 0, 0, 0];
  const times: number[] = [];
  for (let index = 0; index < 1000; index += 1) {
    const lane = lanes.indexOf(Math.min(...lanes));
    lanes[lane] = (lanes[lane] as number) + (index < 100 ? 2 : 50 + random() * 400);
    times.push(lanes[lane] as number);
  }
  return times.sort((left, right) => left - right);
}

describe('SteadyEstimate', () => {
  it('says it is estimating until there is something to go on', () => {
    // Prepare
    let now = 0;
    const estimate = new SteadyEstimate(() => now);
    estimate.start(100);

    // Act
    now = 500;
    estimate.tick();
    const early = estimate.text();

    // Assess
    expect(early).toBe('estimating time left');
  });

  it('moves by small steps once it has started: no estimate ever jumps by more than a third', () => {
    // Prepare
    let now = 0;
    const estimate = new SteadyEstimate(() => now);
    const times = completionTimes();
    estimate.start(times.length);
    const shown: number[] = [];

    // Act
    for (const time of times) {
      now = time;
      estimate.tick();
      const left = estimate.remainingMillis();
      if (left !== undefined && left > 5000) shown.push(left);
    }

    // Assess
    expect(shown.length).toBeGreaterThan(500);
    const jumps = shown
      .slice(1)
      .map((value, index) => Math.abs(value - (shown[index] as number)) / (shown[index] as number));
    expect(Math.max(...jumps)).toBeLessThan(1 / 3);
  });

  it('ends close to the truth: within a fifth of the real time left at the halfway point', () => {
    // Prepare
    let now = 0;
    const estimate = new SteadyEstimate(() => now);
    const times = completionTimes();
    estimate.start(times.length);

    // Act
    for (const time of times.slice(0, 500)) {
      now = time;
      estimate.tick();
    }
    const predicted = estimate.remainingMillis() ?? 0;

    // Assess
    const actual = (times[times.length - 1] as number) - now;
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.2);
  });

  it('counts down between documents', () => {
    // Prepare
    let now = 0;
    const estimate = new SteadyEstimate(() => now);
    estimate.start(10);
    for (let index = 1; index <= 5; index += 1) {
      now = index * 1000;
      estimate.tick();
    }

    // Act
    const atTick = estimate.remainingMillis() ?? 0;
    now += 2000;
    const later = estimate.remainingMillis() ?? 0;

    // Assess
    expect(atTick).toBeCloseTo(5000, -2);
    expect(later).toBeCloseTo(3000, -2);
  });
});

describe('formatDuration', () => {
  it.each([
    [3_000, '5 s'],
    [42_000, '40 s'],
    [95_000, '1 min 30 s'],
    [130_000, '2 min'],
    [720_000, '12 min'],
    [3_900_000, '1 h 5 min'],
  ])('writes %d ms as %s', (millis, text) => {
    // Prepare
    const value = millis;

    // Act
    const written = formatDuration(value);

    // Assess
    expect(written).toBe(text);
  });
});

describe('lineProgress', () => {
  it('prints a line as soon as a phase starts, then every tenth with the estimate', () => {
    // Prepare
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        callback();
      },
    });
    let now = 0;
    const progress = lineProgress(stream, () => now);

    // Act
    progress.phase('analyze', 20);
    const atStart = [...lines];
    for (let index = 0; index < 20; index += 1) {
      now += 1000;
      progress.tick();
    }

    // Assess
    expect(atStart).toEqual(['analyze: 0/20 files']);
    expect(lines).toContain('analyze: 10/20 (about 10 s left)');
    expect(lines[lines.length - 1]).toBe('analyze: 20/20');
  });
});
