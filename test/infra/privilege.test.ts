/**
 * Least privilege by prefix (issue 12, item 3), report access (item 2) and the deploy path
 * (items 7, 8), asserted on the synthesized template: each function holds exactly the key prefixes
 * and actions its step uses, configuration is read-only to all, no role writes anywhere in the
 * artifacts bucket.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext, InfraConfigError, modelRegionProblem } from '../../infra/config.ts';
import { resolvedOutputs, resolveIntrinsics } from '../../infra/definition.ts';
import {
  ARTIFACT_ACCESS,
  MEMORY_MB,
  TABLE_ACTIONS,
  type TaskFunctionName,
} from '../../infra/constructs/stage-functions.ts';
import { MANIFEST_KEY_PATTERN, RESULT_WRITER_ACTIONS } from '../../infra/constructs/pipeline.ts';
import { layout } from '../../src/run/layout.ts';
import { synthesize } from './synth.ts';

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Json;
}

const CATALOG_KEY = 'config/catalog.yaml';
const METADATA_KEY = 'config/incidents.csv';
const CONTEXT = { inputPrefix: 'incoming/', catalogKey: CATALOG_KEY, metadataKey: METADATA_KEY };
const TASKS = Object.keys(ARTIFACT_ACCESS) as TaskFunctionName[];
/** The roles of the functions that run a step (the stage functions and the ingest function). */
const roleOf = (task: TaskFunctionName) => `Functions${task[0]?.toUpperCase()}${task.slice(1)}Role`;

let template: Template;
let buckets: { input: string; artifacts: string };

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The statements of the policies attached to a role (by logical id prefix), intrinsics resolved. */
function statementsOf(rolePrefix: string, from: Template = template): Statement[] {
  return Object.values(from.findResources('AWS::IAM::Policy'))
    .map((policy) => policy.Properties as Json)
    .filter((properties) =>
      (properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap((properties) => (properties.PolicyDocument as { Statement: Json[] }).Statement)
    .map((statement) => resolveIntrinsics(from, statement) as Statement);
}

/** Role logical ids of the pipeline's functions (not the BucketNotificationsHandler's, not the state machine's). */
function functionRoles(): string[] {
  return Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => /^(Functions|Ingest)/.test(id));
}

/** Actions of a role on resources matching a predicate. */
function actionsOn(rolePrefix: string, matches: (resource: string) => boolean): string[] {
  return [
    ...new Set(
      statementsOf(rolePrefix)
        .filter((statement) => asList(statement.Resource).some(matches))
        .flatMap((statement) => asList(statement.Action)),
    ),
  ].sort();
}

/** The object key patterns a role may use with an action in a bucket. */
function patternsOf(rolePrefix: string, action: string, bucket: string): string[] {
  return statementsOf(rolePrefix)
    .filter((statement) => asList(statement.Action).includes(action))
    .flatMap((statement) => asList(statement.Resource))
    .filter((resource) => resource.startsWith(`arn:aws:s3:::${bucket}/`))
    .map((resource) => resource.slice(`arn:aws:s3:::${bucket}/`.length))
    .sort();
}

/** Whether an IAM resource pattern (with * and ?) matches a key. */
function iamMatches(pattern: string, key: string): boolean {
  const source = pattern
    .split('')
    .map((character) =>
      character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(key);
}

beforeAll(() => {
  template = Template.fromStack(synthesize(CONTEXT).stack);
  const outputs = resolvedOutputs(template);
  buckets = { input: outputs.InputBucketName as string, artifacts: outputs.ArtifactsBucketName as string };
});

describe('S3 access by prefix', () => {
  it('gives no pipeline role PutObject (or any write) on the whole artifacts bucket, nor an S3 action wildcard', () => {
    for (const role of functionRoles()) {
      for (const statement of statementsOf(role)) {
        const actions = asList(statement.Action).filter((action) => action.startsWith('s3:'));
        if (actions.length === 0) continue;
        for (const action of actions) expect(action, role).not.toMatch(/\*/);
        for (const resource of asList(statement.Resource))
          expect(resource, `${role} ${actions.join(',')}`).not.toBe(`arn:aws:s3:::${buckets.artifacts}/*`);
      }
      expect(patternsOf(role, 's3:PutObject', buckets.artifacts), role).not.toContain('*');
    }
  });

  it('grants each function exactly the object actions and prefixes of its step', () => {
    for (const task of TASKS) {
      const access = ARTIFACT_ACCESS[task];
      const expected = (field: 'read' | 'write' | 'delete', extra: string[] = []) =>
        [...new Set([...(access[field] ?? []), ...extra])].sort();
      const config = task === 'notify' ? [] : [CATALOG_KEY, METADATA_KEY];
      expect(patternsOf(roleOf(task), 's3:GetObject', buckets.artifacts), task).toEqual(expected('read', config));
      expect(patternsOf(roleOf(task), 's3:PutObject', buckets.artifacts), task).toEqual(expected('write'));
      expect(patternsOf(roleOf(task), 's3:DeleteObject', buckets.artifacts), task).toEqual(expected('delete'));
    }
  });

  it('keeps the configuration objects read-only: no write or delete pattern of any role matches them', () => {
    for (const role of functionRoles()) {
      for (const action of ['s3:PutObject', 's3:DeleteObject']) {
        for (const pattern of patternsOf(role, action, buckets.artifacts))
          for (const key of [CATALOG_KEY, METADATA_KEY])
            expect(iamMatches(pattern, key), `${role} ${action} ${pattern} on ${key}`).toBe(false);
      }
    }
    // Every function that builds a run context reads them, with GetObject only.
    for (const task of TASKS.filter((name) => name !== 'notify')) {
      const actions = actionsOn(roleOf(task), (resource) => resource.endsWith(CATALOG_KEY));
      expect(actions, task).toEqual(['s3:GetObject']);
    }
    expect(actionsOn('IngestHandlerRole', (resource) => resource.endsWith(CATALOG_KEY))).toEqual(['s3:GetObject']);
  });

  it('scopes the state machine role to runs/*/manifest-*.json (ItemReader) and results/* (ResultWriter)', () => {
    const role = 'PipelineStateMachineRole';
    const s3Statements = statementsOf(role).filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('s3:')),
    );
    const objects = (action: string) => patternsOf(role, action, buckets.artifacts);
    expect(objects('s3:GetObject')).toEqual([MANIFEST_KEY_PATTERN, 'results/*'].sort());
    for (const action of RESULT_WRITER_ACTIONS.filter((name) => name !== 's3:GetObject'))
      expect(objects(action), action).toEqual(['results/*']);
    // No other S3 action, no other bucket, nothing on the whole artifacts bucket.
    expect([...new Set(s3Statements.flatMap((statement) => asList(statement.Action)))].sort()).toEqual(
      [...RESULT_WRITER_ACTIONS].sort(),
    );
    for (const resource of s3Statements.flatMap((statement) => asList(statement.Resource)))
      expect(resource).toMatch(new RegExp(`^arn:aws:s3:::${buckets.artifacts}/(runs|results)/`));
    // The run's other files and the configuration stay out of reach.
    for (const key of [
      layout.patterns('r1'),
      `${layout.runReport('r1')}report.html`,
      CATALOG_KEY,
      'report/report.html',
    ])
      for (const pattern of objects('s3:GetObject')) expect(iamMatches(pattern, key), `${pattern} ${key}`).toBe(false);
    expect(iamMatches(MANIFEST_KEY_PATTERN, layout.manifest('2026-11-29T22-00-00Z-abc', 3))).toBe(true);
  });

  it('rejects a configuration key inside a folder the pipeline writes', () => {
    expect(() => configFromContext((key) => ({ catalogKey: 'docs/catalog.yaml' })[key])).toThrow(InfraConfigError);
    expect(() => configFromContext((key) => ({ metadataKey: 'report/incidents.csv' })[key])).toThrow(
      /metadataKey: expected a key outside the folders the pipeline writes/,
    );
  });

  it('lets Patterns (and every function but summarize and corpus) touch nothing of the input bucket', () => {
    const touchesInput = (resource: string) => resource.startsWith(`arn:aws:s3:::${buckets.input}`);
    for (const task of TASKS.filter((name) => name !== 'summarize' && name !== 'corpus'))
      expect(actionsOn(roleOf(task), touchesInput), task).toEqual([]);
    expect(actionsOn(roleOf('patterns'), touchesInput)).toEqual([]);
    // Summarize reads the one source it ingests; the corpus function only lists the prefix for a sweep.
    expect(patternsOf(roleOf('summarize'), 's3:GetObject', buckets.input)).toEqual(['incoming/*']);
    expect(actionsOn(roleOf('corpus'), touchesInput)).toEqual(['s3:ListBucket']);
  });

  it('conditions every ListBucket on the prefixes the function lists', () => {
    for (const role of functionRoles()) {
      for (const statement of statementsOf(role).filter((candidate) =>
        asList(candidate.Action).includes('s3:ListBucket'),
      )) {
        expect(asList(statement.Action), role).toEqual(['s3:ListBucket']);
        const prefixes = (statement.Condition?.StringLikeIfExists as Json | undefined)?.['s3:prefix'];
        expect(asList(prefixes as string[]).length, role).toBeGreaterThan(0);
        for (const prefix of asList(prefixes as string[])) expect(prefix, role).toMatch(/^[a-z-]+\/(\*|[a-z]+\/\*)$/);
      }
    }
    const listed = (task: TaskFunctionName) =>
      statementsOf(roleOf(task))
        .filter((statement) => asList(statement.Action).includes('s3:ListBucket'))
        .flatMap((statement) => asList((statement.Condition?.StringLikeIfExists as Json)['s3:prefix'] as string[]))
        .sort();
    expect(listed('summarize')).toEqual(['cache/summarize/*', 'docs/*', 'incoming/*']);
    expect(listed('report')).toEqual(['docs/*', 'report/*', 'runs/*']);
    expect(listed('notify')).toEqual([]);
  });
});

describe('state table access', () => {
  it('gives each function only the DynamoDB actions its step uses: no Scan, no batch writes, no wildcard', () => {
    const dynamoActions = (role: string) =>
      [
        ...new Set(
          statementsOf(role)
            .flatMap((statement) => asList(statement.Action))
            .filter((action) => action.startsWith('dynamodb:')),
        ),
      ].sort();
    for (const task of TASKS)
      expect(dynamoActions(roleOf(task)), task).toEqual(
        TABLE_ACTIONS[task].map((action) => `dynamodb:${action}`).sort(),
      );
    for (const role of functionRoles()) {
      for (const action of dynamoActions(role))
        expect(action, role).not.toMatch(/\*|Scan|BatchWriteItem|BatchGetItem|PartiQL|DescribeStream|GetRecords/);
    }
    expect(TABLE_ACTIONS.patterns).toEqual(['Query']);
    expect(TABLE_ACTIONS.opportunities).toEqual(['Query']);
    expect(TABLE_ACTIONS.notify).toEqual([]);
  });
});

describe('report access', () => {
  it('lets Notify publish and nothing else: no object read, so no presigned link can be made', () => {
    const actions = [...new Set(statementsOf(roleOf('notify')).flatMap((statement) => asList(statement.Action)))];
    expect(actions.filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:')).sort()).toEqual([
      'sns:Publish',
    ]);
  });
});

describe('functions', () => {
  it('size memory per function as stated in MEMORY_MB', () => {
    for (const task of TASKS) {
      const [resource] = Object.values(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${roleOf(task)}`), 'Arn'] } },
        }),
      );
      expect((resource?.Properties as Json).MemorySize, task).toBe(MEMORY_MB[task]);
    }
  });

  it('ship no source maps unless the sourceMaps context flag asks for them', () => {
    const nodeOptions = (from: Template) =>
      Object.values(from.findResources('AWS::Lambda::Function'))
        .filter((resource) => (resource.Properties as Json).Environment)
        .map(
          (resource) =>
            ((resource.Properties as { Environment: { Variables: Json } }).Environment.Variables.NODE_OPTIONS as
              string | undefined) ?? null,
        );
    expect(new Set(nodeOptions(template))).toEqual(new Set([null]));
    const withMaps = Template.fromStack(synthesize({ ...CONTEXT, sourceMaps: 'true' }).stack);
    expect(new Set(nodeOptions(withMaps))).toEqual(new Set(['--enable-source-maps']));
  });
});

describe('models and Regions', () => {
  it('knows which Regions a cross-Region profile or an ARN can be called from', () => {
    expect(modelRegionProblem('us.anthropic.claude-sonnet-4-20250514-v1:0', 'us-west-2')).toBeUndefined();
    expect(modelRegionProblem('us.anthropic.claude-sonnet-4-20250514-v1:0', 'eu-west-1')).toMatch(
      /can only be called from a US Region.*-c models=eu\.anthropic\.claude-sonnet-4-20250514-v1:0/,
    );
    expect(modelRegionProblem('eu.anthropic.claude-sonnet-4-20250514-v1:0', 'eu-central-1')).toBeUndefined();
    expect(modelRegionProblem('apac.anthropic.claude-sonnet-4-20250514-v1:0', 'ap-southeast-2')).toBeUndefined();
    expect(modelRegionProblem('apac.anthropic.claude-sonnet-4-20250514-v1:0', 'us-east-1')).toBeDefined();
    expect(modelRegionProblem('us.anthropic.claude-sonnet-4-20250514-v1:0', 'us-gov-west-1')).toBeDefined();
    expect(modelRegionProblem('anthropic.claude-3-5-haiku-20241022-v1:0', 'eu-west-1')).toBeUndefined();
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    expect(modelRegionProblem(arn, 'us-east-1')).toBeUndefined();
    expect(modelRegionProblem(arn, 'us-west-2')).toMatch(/is in us-east-1/);
  });

  it('stops synthesis of a stack pinned to a Region its models do not fit, and warns when the stack is environment-agnostic', () => {
    const pinned = synthesize({}, { account: '111122223333', region: 'eu-west-1' }).app;
    expect(() => pinned.synth()).toThrow(/can only be called from a US Region/);
    const agnostic = synthesize({}).stack;
    Annotations.fromStack(agnostic).hasWarning('*', Match.stringLikeRegexp('environment-agnostic'));
    const fitting = synthesize({}, { account: '111122223333', region: 'us-east-2' }).stack;
    expect(Annotations.fromStack(fitting).findError('*', Match.anyValue())).toEqual([]);
  });

  it('accepts model and application-inference-profile ARNs and scopes InvokeModel to them', () => {
    const profile = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    const haiku = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0';
    const config = configFromContext(
      (key) => ({ models: JSON.stringify({ summarize: profile, classify: haiku }) })[key],
    );
    expect(config.models.summarize).toBe(profile);
    expect(() =>
      configFromContext((key) => ({ models: 'arn:aws:bedrock:us-east-1::application-inference-profile/x' })[key]),
    ).toThrow(InfraConfigError);
    const synthesized = Template.fromStack(
      synthesize(
        { models: JSON.stringify({ summarize: profile, classify: haiku }) },
        { account: '111122223333', region: 'us-east-1' },
      ).stack,
    );
    const invoke = (role: string) =>
      statementsOf(role, synthesized).filter((statement) => asList(statement.Action).includes('bedrock:InvokeModel'));
    expect(invoke(roleOf('summarize'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Resource: profile }),
        expect.objectContaining({
          Resource: 'arn:aws:bedrock:*::foundation-model/*',
          Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
        }),
      ]),
    );
    expect(invoke(roleOf('summarize'))).toHaveLength(2);
    expect(invoke(roleOf('classify'))).toEqual([expect.objectContaining({ Resource: haiku })]);
  });
});
