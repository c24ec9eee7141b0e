import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize, type Synthesized } from './synth.ts';

interface Finding {
  rule: string;
  path: string;
}

function findingsOf(checks: AwsSolutionsChecks, scope: IConstruct): Finding[] {
  return checks.validateScope(scope).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      path: resource.constructPath ?? '',
    })),
  );
}

/** Every acknowledgement recorded in the construct tree: the construct's path, the rule id and the reason. */
function acknowledgementsOf(root: IConstruct): Array<{ path: string; rule: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({
          path: construct.node.path,
          rule: rule.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

// A stack bound to an account and Region: some ARNs then carry literal values instead of tokens.
let synthesized: Synthesized;

beforeAll(() => {
  // The models must fit the Region (synthesis fails on a us. profile in eu-west-1): the eu. profile.
  synthesized = synthesize(
    { models: 'eu.anthropic.claude-sonnet-4-20250514-v1:0' },
    { account: '111122223333', region: 'eu-west-1' },
  );
  // Synthesis runs the cdk-nag plugin registered on the app, and throws on any finding it reports.
  synthesized.app.synth();
});

describe('cdk-nag AWS Solutions checks', () => {
  it('report no finding that is not acknowledged', () => {
    expect(findingsOf(new AwsSolutionsChecks(), synthesized.app)).toEqual([]);
  });

  it('acknowledge only findings that exist, each with a specific reason', () => {
    const everyFinding = new AwsSolutionsChecks();
    // The same checks with acknowledgements ignored: what the acknowledgements stand for.
    Object.defineProperty(everyFinding, 'isAcknowledged', { value: () => false });
    const raw = findingsOf(everyFinding, synthesized.app);
    const acknowledgements = acknowledgementsOf(synthesized.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      const matched = raw.some(
        (finding) =>
          finding.rule === acknowledgement.rule &&
          (finding.path === acknowledgement.path || finding.path.startsWith(`${acknowledgement.path}/`)),
      );
      expect(matched, `${acknowledgement.path}: ${acknowledgement.rule}`).toBe(true);
      expect(acknowledgement.reason.length, acknowledgement.rule).toBeGreaterThan(40);
    }
    // cdk-nag's SQS3 knows the dead-letter queues of queues and functions, not of a Scheduler or an EventBridge target.
    const schedulerDeadLetters = (finding: Finding) =>
      finding.rule === 'AwsSolutions-SQS3' &&
      [
        'PostmortemLens/Schedule/DeadLetterQueue/Resource',
        'PostmortemLens/Operations/RunEndedDeadLetterQueue/Resource',
      ].includes(finding.path);
    for (const finding of raw.filter((candidate) => !schedulerDeadLetters(candidate)))
      expect(finding.rule, finding.path).toMatch(/^AwsSolutions-IAM[45]\[/);
  });

  it('leave no CDK warning or error annotation', () => {
    const annotations = Annotations.fromStack(synthesized.stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });
});
