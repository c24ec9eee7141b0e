/**
 * cdk-nag (3.x): the AWS Solutions checks run as a validation plugin at synthesis; a finding stops
 * synthesis unless it is acknowledged on the construct (or an ancestor) with a reason.
 *
 * Findings are acknowledged one by one, by their exact id (`AwsSolutions-IAM5[Resource::...]`),
 * next to the grant that causes them; these helpers build those ids the way cdk-nag prints them.
 */
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  return checks;
}

/** Acknowledge findings on a construct, all for one reason. */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of new Set(ids)) Validations.of(scope).acknowledge({ id, reason });
}

/** The id of an IAM5 finding on a wildcard action, e.g. `s3:GetObject*`. */
export function wildcardAction(action: string): string {
  return `AwsSolutions-IAM5[Action::${action}]`;
}

/** The id of an IAM5 finding on a resource with a wildcard, from the resource as written in CDK (tokens included). */
export function wildcardResource(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/** A resolved CloudFormation value as cdk-nag flattens it: Fn::Join joined, `<Ref>`, `<Id.Attribute>`, JSON otherwise. */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record['Fn::Join']) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (record['Fn::Sub']) return flattenReference(record['Fn::Sub']);
    if (record['Fn::GetAtt']) {
      const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (record['Fn::ImportValue']) return flattenReference(record['Fn::ImportValue']);
    if (record.Ref) return `<${flattenReference(record.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** Why a function holds an object action on a key pattern with a wildcard (a prefix fixed at deployment, keys not). */
export function objectsReason(pattern: string): string {
  return `Objects matching ${pattern} (src/run/layout.ts): the prefix is fixed at deployment, the rest of each key is a document id, run id, technology or content hash known only at run time. Explicit actions only (no s3:*Object* wildcard).`;
}

export const REASONS = {
  xray: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they take Resource "*" (added by tracing: ACTIVE).',
  crossRegionModel:
    'Cross-Region inference routes a request to the model in any destination Region of the profile, so the foundation model is allowed in every Region, and only through the configured inference profile (condition bedrock:InferenceProfileArn).',
  applicationProfileModels:
    "An application inference profile's ARN does not name the foundation model it wraps, so foundation models are allowed in every Region only through that one profile (condition bedrock:InferenceProfileArn equals its ARN).",
} as const;
