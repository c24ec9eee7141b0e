import { describe, expect, it } from 'vitest';
import { ownFlagOrCommand } from '../../src/attribution/index.ts';
import type { Postmortem } from '../../src/schemas/index.ts';
import { guardAttribution } from '../../src/trust/attribution-guard.ts';
import { catalogMatcher } from '../support/attribution.ts';
import { parrotClassification } from '../support/classification.ts';
import { ingestInline } from '../support/postmortems.ts';

// Read once, before any test of this file (top-level await).
const matcher = await catalogMatcher();

function document(rootCause: string[], timeline: string[] = []): Postmortem {
  const source = [
    '# Checkout degraded',
    '',
    '## Summary',
    '',
    'Checkout requests failed for 40 minutes.',
    '',
    '## Root cause',
    '',
    ...rootCause.map((line) => `${line}\n`),
    '## Timeline',
    '',
    ...timeline.map((line) => `- ${line}`),
    '',
  ].join('\n');
  return ingestInline(source, 'own-token.md');
}

const causesOf = (postmortem: Postmortem): string[] =>
  guardAttribution(parrotClassification(postmortem, matcher), postmortem, matcher).classification.causal.map(
    (cause) => cause.technology,
  );

describe('a name heading its own flag or admin command', () => {
  it('reads a flag or admin command headed by the name, and nothing else built on it', () => {
    // Prepare
    const at = (text: string, name: string): boolean => ownFlagOrCommand(text, text.indexOf(name));

    // Act and Assess
    expect(at('the gateway ran with --zookeeper-session-timeout=200ms after the change', 'zookeeper')).toBe(true);
    expect(at('we ran rabbitmq-plugins disable on the node', 'rabbitmq')).toBe(true);
    expect(at('an operator ran redis-cli on the primary', 'redis')).toBe(true);
    // Host names, client tools, address flags and a name inside a longer token are not.
    expect(at('disk full on kafka-prod-b3 at noon', 'kafka')).toBe(false);
    expect(at('the kafka-ui pod restarted', 'kafka')).toBe(false);
    expect(at('workers started with --redis-url=cache-7:6379 after the deploy', 'redis')).toBe(false);
    expect(at('the apiserver had --etcd-servers=https://10.0.0.4:2379 set', 'etcd')).toBe(false);
    expect(at('the gateway ran with --no-zookeeper-watch', 'zookeeper')).toBe(false);
    expect(at('see the my-redis-cli wrapper', 'redis')).toBe(false);
  });

  it('lets a cause stand on its own flag or command in a sentence that tells the failure', () => {
    // Prepare: each technology is named only in its own flag or admin command, in a causal sentence.
    const postmortem = document([
      'The gateway fleet ran with --zookeeper-session-timeout=200ms after the hardening change, so sessions expired and calls failed.',
      'A maintenance job ran rabbitmq-plugins disable on every node at 09:10, which caused the queue consumers to stop.',
    ]);

    // Act
    const causes = causesOf(postmortem);

    // Assess
    expect(causes.sort()).toEqual(['RabbitMQ', 'ZooKeeper']);
  });

  it('never lets the hostile parrot through on a host name, URL, channel, client tool, exporter or address flag', () => {
    // Prepare: every name stands in an identifier, and every sentence tells a failure.
    const postmortem = document(
      [
        'Checkout failed because kafka-prod-b3 ran out of file descriptors.',
        'The workers started with --redis-url=cache-7:6379 and failed every request after the deploy.',
        'The apiserver was started with --etcd-servers=https://10.0.0.4:2379 and failed to reach the control plane.',
        'The kafka-ui pod crashed and caused the dashboard errors.',
        'Latency errors were caused by redis_exporter scraping every second.',
        'The errors were visible at https://grafana.example.com/d/mongodb-latency during the outage.',
        'Alerts in #zookeeper-oncall fired because the checks failed.',
      ],
      ['10:02 the on-call engineer ran kafka-topics --describe on the bastion'],
    );

    // Act
    const outcome = guardAttribution(parrotClassification(postmortem, matcher), postmortem, matcher);

    // Assess
    expect(outcome.classification.causal).toEqual([]);
    expect(outcome.demoted.length).toBeGreaterThanOrEqual(4);
  });

  it('demotes its own command or flag quoted where no failure is told, not keeping it for review', () => {
    // Prepare: a cause-bearing section, but the sentences only say what was run or set.
    const postmortem = document([
      'At 10:02 the on-call engineer ran kafka-topics --describe from the bastion host.',
      'The gateway fleet runs with --zookeeper-session-timeout=30s like every other fleet.',
      'Did rabbitmq-plugins disable run on every node?',
    ]);

    // Act
    const outcome = guardAttribution(parrotClassification(postmortem, matcher), postmortem, matcher);

    // Assess
    expect(outcome.classification.causal).toEqual([]);
    expect(outcome.demoted.map((flag) => flag.technology).sort()).toEqual(['Kafka', 'RabbitMQ', 'ZooKeeper']);
    const linkReasons = outcome.demoted.filter((flag) => flag.technology !== 'RabbitMQ').map((flag) => flag.reason);
    expect(linkReasons).toHaveLength(2);
    expect(linkReasons.every((reason) => reason.includes('(link)'))).toBe(true);
  });
});
