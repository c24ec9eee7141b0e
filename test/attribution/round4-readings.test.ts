import { describe, expect, it } from 'vitest';
import {
  causeWeightOf,
  misconfiguredSetting,
  namedParameterChanged,
  NEGATION,
  ROLE_WEIGHT,
} from '../../src/attribution/index.ts';
import { joinSoftBreaks } from '../../src/ingest/markdown.ts';
import { assessMention, catalogMatcher, offlineCausesOf } from '../support/attribution.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

const causesOf = (source: string) => offlineCausesOf(matcher, source);

describe('attribution: a setting told without naming the technology', () => {
  it('counts a setting changed by the generic noun of the technology as plainly as the name', () => {
    const source = `Session logins failing

Login sessions are kept in Memcached.

A clean-up PR changed the shard count variable for the cache cluster from 8 to 2 on Monday night, and most sessions vanished.
`;
    expect(causesOf(source)).toEqual(['Memcached']);
  });

  it('reads a changed configuration variable as a setting, not a metric that moved', () => {
    expect(misconfiguredSetting('a commit changed the replica count variable from 3 to 1')).toBe(true);
    // Trap: a measurement that went from one value to another is no setting.
    expect(misconfiguredSetting('the hit ratio fell from 95% to 40% within the hour')).toBe(false);
  });

  it('takes a named parameter changed right after the naming sentence as the technology setting', () => {
    expect(namedParameterChanged('a merge request changed flush_interval_ms from 100 to 5000')).toBe(true);
    expect(namedParameterChanged('someone raised the index.merge.scheduler.max_thread_count fourfold')).toBe(true);
    // Trap: a configuration noun is not a named parameter; it needs an anaphor to be the technology's.
    expect(namedParameterChanged('the timeout was raised from 5 to 30 seconds')).toBe(false);
  });

  it('counts a named parameter changed after the naming sentence for the technology named', () => {
    const source = `Search results stale

The product index runs on Elasticsearch.

On Monday a commit changed refresh_interval_seconds from 1 to 3600 in the shared template file, so new products stayed invisible for an hour.
`;
    expect(causesOf(source)).toEqual(['Elasticsearch']);
  });

  it('does not give a parameter of our own application to the technology named before', () => {
    // Trap: the parameter belongs to the app; an outside fault in the sentence keeps it away from Kafka.
    const source = `Slow order export

Orders are published to Kafka by the export worker.

The app's batch_size_limit was lowered from 500 to 5 in the release, so the export crawled.
`;
    expect(causesOf(source)).not.toContain('Kafka');
  });

  it('reads "did exactly what the setting said" as the setting of the technology failing', () => {
    expect(misconfiguredSetting('Kafka did exactly what the retention setting said')).toBe(true);
    // Trap: "did what it was told" with no setting named is innocence, not a misconfiguration.
    expect(misconfiguredSetting('Kafka did exactly what it was told')).toBe(false);
    expect(assessMention(matcher, 'Kafka did exactly what it was told.', 'Kafka', 'summary').context).toBe('negated');
  });
});

describe('attribution: a heading that asks why', () => {
  it('weighs a section under a "why" heading as a root cause', () => {
    expect(causeWeightOf({ role: 'other', heading: 'Why the queue filled up' })).toBe(ROLE_WEIGHT['root-cause']);
  });

  it('does not weigh a "why" about noticing late as a root cause', () => {
    // Trap: the section explains the detection, not the cause.
    expect(causeWeightOf({ role: 'other', heading: 'Why nobody noticed for an hour' })).toBe(ROLE_WEIGHT.other);
    expect(causeWeightOf({ role: 'impact', heading: 'Why it mattered' })).toBe(ROLE_WEIGHT.impact);
  });
});

describe('attribution: health words', () => {
  it('reads "stayed up" as health and "look up" as a verb of searching', () => {
    expect(NEGATION.test('all three brokers stayed up the whole time')).toBe(true);
    // Trap: "look up" is searching, not a health statement.
    expect(NEGATION.test('each worker opens a new connection to look up account flags')).toBe(false);
  });
});

describe('attribution: several incidents in one section', () => {
  const cartStory = `A new Lua script on the Redis cart store ran for seconds on large carts, blocking every other command. Redis runs scripts to completion on one thread, so each long script froze the cart store for everyone and checkouts timed out. Redis kept freezing until the feature was switched off.`;
  const reportStory = `A MySQL replica used for reports kept its binlogs after a purge job broke. It filled its disk and reports went stale.`;

  it('weighs each incident told under its own title on its own', () => {
    const source = `Reliability digest, October

Two incidents this month.

Checkout latency (Sev-2, 2025-10-03)

${cartStory}

Stale reports (Sev-3, 2025-10-19)

${reportStory}
`;
    expect(causesOf(source)).toEqual(['Redis', 'MySQL']);
  });

  it('does not split a section at a single title-like line', () => {
    // Trap: one title only; the weaker story stays weighed against the stronger one of its section.
    const source = `Reliability digest, October

Checkout latency (Sev-2, 2025-10-03)

${cartStory}

${reportStory}
`;
    expect(causesOf(source)).toEqual(['Redis']);
  });
});

describe('ingest: chat lines with the speaker before the time', () => {
  it('keeps each chat line apart', () => {
    expect(joinSoftBreaks('Dana Whitfield  14:05  disk at 90%\nLee Park  14:06  clearing old logs')).toContain('\n');
    expect(joinSoftBreaks('Dana Whitfield [14:05]: disk at 90%\nLee Park [14:06]: on it')).toContain('\n');
  });

  it('still joins a hard-wrapped sentence', () => {
    // Trap: a wrapped line that opens on a word and a time later is not a new chat entry.
    expect(joinSoftBreaks('The replica fell\nbehind at 14:05 and never recovered')).not.toContain('\n');
    expect(joinSoftBreaks('We paused the job\nWriting at 14:05 stopped')).not.toContain('\n');
  });
});
