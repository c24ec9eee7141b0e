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

export const REASONS = {
  xray: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they take Resource "*" (added by tracing: ACTIVE).',
  s3ReadActions:
    'grantRead on one bucket of this stack: the read-only action groups s3:GetObject*, s3:GetBucket* and s3:List*, on that bucket and its objects only.',
  s3DeleteActions:
    'grantDelete on one prefix of one bucket of this stack: s3:DeleteObject* (the object and its versions) on the outputs of documents whose sources were deleted or reanalysed.',
  s3PutActions:
    'grantPut on one bucket of this stack: s3:Abort* only aborts multipart uploads of the objects the function may write.',
  s3Objects:
    'Objects of one bucket of this stack (or of one folder of it): their keys are document ids and run ids, unknown at deployment.',
} as const;
