/**
 * The state machine definition of a synthesized template, as plain ASL JSON: CloudFormation
 * intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved to fake but
 * well-formed names and ARNs, so the definition can run locally (aws-local-stepfunctions) with
 * Task states overridden by state name.
 *
 * Fake values, by resource type (`<Id>` is the logical id, or the name given in `names`):
 * - Lambda function: `arn:aws:lambda:us-east-1:123456789012:function:<Id>`, Ref `<Id>`;
 * - S3 bucket: Ref `<id>` (the logical id in lower case: a valid bucket name), `arn:aws:s3:::<id>`;
 * - DynamoDB table: Ref `<Id>`, `arn:aws:dynamodb:us-east-1:123456789012:table/<Id>`;
 * - SNS topic: Ref `arn:aws:sns:us-east-1:123456789012:<Id>`; SQS queue: Ref its URL;
 * - state machine: Ref `arn:aws:states:us-east-1:123456789012:stateMachine:<Id>`;
 * - anything else: Ref `<Id>`, Arn `arn:aws:<service>:us-east-1:123456789012:<Id>`.
 */

type Json = unknown;

interface TemplateResource {
  Type: string;
  Properties?: Record<string, Json>;
}

export interface TemplateJson {
  Resources?: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: Json }>;
}

/** A template: the JSON itself, or anything with toJSON() (aws-cdk-lib/assertions' Template). */
export type TemplateInput = TemplateJson | { toJSON(): Record<string, unknown> };

export interface ResolveOptions {
  /** @default "123456789012" */
  readonly account?: string;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "aws" */
  readonly partition?: string;
  /** @default "PostmortemLens" */
  readonly stackName?: string;
  /** Physical names by logical id (a bucket name for s3rver, say); the Ref and ARNs follow. */
  readonly names?: Readonly<Record<string, string>>;
}

export const FAKE_ACCOUNT = '123456789012';
export const FAKE_REGION = 'us-east-1';

function templateJson(template: TemplateInput): TemplateJson {
  const candidate = template as { toJSON?: unknown };
  return typeof candidate.toJSON === 'function'
    ? ((candidate as { toJSON(): Record<string, unknown> }).toJSON() as TemplateJson)
    : (template as TemplateJson);
}

class Resolver {
  private readonly account: string;
  private readonly region: string;
  private readonly partition: string;
  private readonly stackName: string;

  constructor(
    private readonly resources: Record<string, TemplateResource>,
    private readonly options: ResolveOptions,
  ) {
    this.account = options.account ?? FAKE_ACCOUNT;
    this.region = options.region ?? FAKE_REGION;
    this.partition = options.partition ?? 'aws';
    this.stackName = options.stackName ?? 'PostmortemLens';
  }

  private nameOf(logicalId: string, type: string): string {
    const given = this.options.names?.[logicalId];
    if (given) return given;
    return type === 'AWS::S3::Bucket' ? logicalId.toLowerCase() : logicalId;
  }

  private arn(service: string, resource: string, regional = true): string {
    return `arn:${this.partition}:${service}:${regional ? this.region : ''}:${regional ? this.account : ''}:${resource}`;
  }

  ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': this.partition,
      'AWS::Region': this.region,
      'AWS::AccountId': this.account,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      'AWS::StackId': this.arn('cloudformation', `stack/${this.stackName}/00000000-0000-0000-0000-000000000000`),
    };
    if (logicalId in pseudo) return pseudo[logicalId] as string;
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`Ref to ${logicalId}, which is not a resource of the template`);
    const name = this.nameOf(logicalId, resource.Type);
    switch (resource.Type) {
      case 'AWS::SNS::Topic':
        return this.arn('sns', name);
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${name}`);
      default:
        return name;
    }
  }

  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`Fn::GetAtt of ${logicalId}, which is not a resource of the template`);
    const name = this.nameOf(logicalId, resource.Type);
    const byType: Record<string, Record<string, () => string>> = {
      'AWS::Lambda::Function': { Arn: () => this.arn('lambda', `function:${name}`) },
      'AWS::S3::Bucket': {
        Arn: () => `arn:${this.partition}:s3:::${name}`,
        DomainName: () => `${name}.s3.amazonaws.com`,
        RegionalDomainName: () => `${name}.s3.${this.region}.amazonaws.com`,
      },
      'AWS::DynamoDB::Table': { Arn: () => this.arn('dynamodb', `table/${name}`) },
      'AWS::SNS::Topic': { TopicArn: () => this.arn('sns', name), TopicName: () => name },
      'AWS::SQS::Queue': {
        Arn: () => this.arn('sqs', name),
        QueueName: () => name,
        QueueUrl: () => this.ref(logicalId),
      },
      'AWS::StepFunctions::StateMachine': { Arn: () => this.arn('states', `stateMachine:${name}`), Name: () => name },
      'AWS::Logs::LogGroup': { Arn: () => this.arn('logs', `log-group:${name}:*`) },
      'AWS::IAM::Role': {
        Arn: () => `arn:${this.partition}:iam::${this.account}:role/${name}`,
        RoleId: () => `AROA${name.toUpperCase()}`,
      },
    };
    const known = byType[resource.Type]?.[attribute];
    if (known) return known();
    if (attribute === 'Arn') return this.arn(resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown', name);
    return `${name}.${attribute}`;
  }

  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, Json>;
    const keys = Object.keys(record);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const argument = record[key];
      switch (key) {
        case 'Ref':
          return this.ref(String(argument));
        case 'Fn::GetAtt': {
          const [logicalId, attribute] = (Array.isArray(argument) ? argument : String(argument).split('.')) as [
            string,
            string,
          ];
          return this.getAtt(logicalId, attribute);
        }
        case 'Fn::Join': {
          const [delimiter, parts] = argument as [string, Json[]];
          return (this.resolve(parts) as Json[]).map(String).join(delimiter);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [Json, Json];
          return (this.resolve(list) as Json[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [delimiter, source] = argument as [string, Json];
          return String(this.resolve(source)).split(delimiter);
        }
        case 'Fn::Sub':
          return this.sub(argument);
        default:
          break;
      }
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, this.resolve(item)]));
  }

  private sub(argument: Json): string {
    const [text, variables] = (Array.isArray(argument) ? argument : [argument, {}]) as [string, Record<string, Json>];
    return text.replace(/\$\{([^}!]+)\}/g, (_match, expression: string) => {
      if (expression in variables) return String(this.resolve(variables[expression]));
      const dot = expression.indexOf('.');
      return dot > 0 && !expression.startsWith('AWS::')
        ? this.getAtt(expression.slice(0, dot), expression.slice(dot + 1))
        : this.ref(expression);
    });
  }
}

/** Any template value with its intrinsics resolved to fake names and ARNs. */
export function resolveIntrinsics(template: TemplateInput, value: unknown, options: ResolveOptions = {}): unknown {
  return new Resolver(templateJson(template).Resources ?? {}, options).resolve(value);
}

/** The stack outputs, resolved: InputBucketName, ArtifactsBucketName, StateTableName, StateMachineArn, ReportTopicArn. */
export function resolvedOutputs(template: TemplateInput, options: ResolveOptions = {}): Record<string, string> {
  const json = templateJson(template);
  const resolver = new Resolver(json.Resources ?? {}, options);
  return Object.fromEntries(
    Object.entries(json.Outputs ?? {}).map(([name, output]) => [name, String(resolver.resolve(output.Value))]),
  );
}

/**
 * The logical id behind each stack output that is a plain Ref (InputBucketName -> StorageInput...):
 * the keys to give `names`, e.g. `{ [refs.ArtifactsBucketName]: 'artifacts' }` for a local S3 server.
 */
export function outputLogicalIds(template: TemplateInput): Record<string, string> {
  return Object.fromEntries(
    Object.entries(templateJson(template).Outputs ?? {}).flatMap(([name, output]) => {
      const ref = (output.Value as { Ref?: unknown } | null)?.Ref;
      return typeof ref === 'string' ? [[name, ref]] : [];
    }),
  );
}

/**
 * The ASL definition of the template's state machine (the only one, or the one with this logical
 * id), with every intrinsic resolved.
 */
export function resolvedDefinition(
  template: TemplateInput,
  options: ResolveOptions & { logicalId?: string } = {},
): Record<string, unknown> {
  const json = templateJson(template);
  const machines = Object.entries(json.Resources ?? {}).filter(
    ([logicalId, resource]) =>
      resource.Type === 'AWS::StepFunctions::StateMachine' && (!options.logicalId || logicalId === options.logicalId),
  );
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const [, machine] = machines[0] as [string, TemplateResource];
  const definition = new Resolver(json.Resources ?? {}, options).resolve(
    machine.Properties?.DefinitionString ?? machine.Properties?.Definition,
  );
  return (typeof definition === 'string' ? JSON.parse(definition) : definition) as Record<string, unknown>;
}
