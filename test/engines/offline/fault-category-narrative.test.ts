import { describe, expect, it } from 'vitest';
import { narrativeMechanism, rankFaultCategories } from '../../../src/engines/offline/document-category.ts';
import { summarizeOffline } from '../../../src/engines/offline/summarize.ts';
import { trainWordModel } from '../../../src/engines/offline/word-model.ts';
import type { FaultCategory } from '../../../src/schemas/index.ts';
import { ingestInline } from '../../support/postmortems.ts';

/** A word model that knows none of the documents' words: it adds the same prior to every category it has. */
const NEUTRAL = trainWordModel([
  { category: 'network', words: ['zzzz'] },
  { category: 'deployment', words: ['zzzz'] },
]);

/** What the cues, mechanisms and keywords add to each category: the ranking at keyword weight 1 less that at 0. */
function cueEvidence(text: string): Map<FaultCategory, number> {
  const postmortem = ingestInline(text, 'case.md');
  const summary = summarizeOffline(postmortem);
  const withCues = new Map(rankFaultCategories(NEUTRAL, 1, postmortem, summary));
  const without = new Map(rankFaultCategories(NEUTRAL, 0, postmortem, summary));
  return new Map([...withCues].map(([category, score]) => [category, score - (without.get(category) ?? 0)]));
}

function timelineCase(line: string): string {
  return `# Checkout errors

## Root cause

Checkout requests failed for forty minutes.

## Timeline

- 09:55 checkout requests started to fail.
- 10:00 ${line}
`;
}

describe('offline engine: the mechanism the narrative tells', () => {
  it('reads the mechanism of the timeline when no cause sentence names one, not that of the action items', () => {
    // Prepare
    const told = ingestInline(
      `# Orders stalled

## Timeline

- 09:02 the network between the two zones dropped for forty seconds.
- 09:03 both database nodes promoted themselves and accepted writes as primary: a split brain.
- 09:20 we fenced the old primary.

## Action items

- Alert when the data volume's disk is 80% full.
`,
      'told.md',
    );
    const remedyOnly = ingestInline(
      `# Orders stalled

## Timeline

- 09:02 alerts fired and we paged the on-call.
- 09:20 things recovered.

## Action items

- Both database nodes promoted themselves and accepted writes as primary: a split brain must be fenced.
`,
      'remedy.md',
    );
    // Act
    const fromTimeline = narrativeMechanism(told);
    const fromRemedy = narrativeMechanism(remedyOnly);
    // Assert
    expect(fromTimeline).toBe('failover-replication');
    expect(fromRemedy).toBeUndefined();
  });
});

describe('offline engine: rule cues told outside the stated causes', () => {
  it('counts a release told as what dropped something as a full keyword hit, another cue as half', () => {
    // Prepare
    const release = timelineCase('the gateway image we pushed that morning dropped the header parsing fallback.');
    const person = timelineCase('an engineer ran the cleanup script against the orders table.');
    // Act
    const fromRelease = cueEvidence(release);
    const fromPerson = cueEvidence(person);
    // Assert
    expect(fromRelease.get('deployment')).toBe(1);
    expect(fromPerson.get('operational-error')).toBe(0.5);
    expect(fromPerson.get('deployment') ?? 0).toBe(0);
  });

  it('counts another party’s outage told in the timeline as two keyword hits, and nothing when only asked about', () => {
    // Prepare
    const stated = timelineCase(
      'the payment processor posted on their status page that card authorisations were failing.',
    );
    const asked = timelineCase('we asked the payment processor whether anything on their status page explained it.');
    // Act
    const fromStatement = cueEvidence(stated);
    const fromQuestion = cueEvidence(asked);
    // Assert
    expect(fromStatement.get('dependency')).toBe(2);
    expect(fromQuestion.get('dependency') ?? 0).toBe(0);
  });

  it('counts a resource never released, told in the timeline, as two keyword hits besides its mechanism', () => {
    // Prepare
    const text = timelineCase('the export worker opened a database cursor per batch and never closed it.');
    // Act
    const evidence = cueEvidence(text);
    const mechanism = narrativeMechanism(ingestInline(text, 'leak.md'));
    // Assert: two for the leak cue told outside the causes, one for the leak mechanism the narrative tells
    expect(mechanism).toBe('software-bug');
    expect(evidence.get('software-bug')).toBe(3);
  });
});
