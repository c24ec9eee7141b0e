/**
 * The item table on one DynamoDB table with a generic key schema: partition key `pk` (S) and sort
 * key `sk` (S), no indexes. Conditions become condition expressions; counters one atomic `ADD`.
 */
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Condition, Item, ItemKey, ItemTable } from './item-table.ts';

export interface DynamoDbClientOptions {
  /** A local endpoint (dynalite); without one, the SDK's own resolution. */
  endpoint?: string;
  /** Defaults to the SDK's own resolution (AWS_REGION, profile), or us-east-1 with an endpoint. */
  region?: string;
  credentials?: DynamoDBClientConfig['credentials'];
}

export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  const region = options.region ?? (options.endpoint ? 'us-east-1' : undefined);
  return new DynamoDBClient({
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

export interface DynamoDbItemTableOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Limit of each Query page (DynamoDB also stops a page at 1 MB). */
  queryPageSize?: number;
}

interface Expression {
  text: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** A condition as a DynamoDB condition expression, with placeholders numbered in order. */
export function conditionExpression(
  condition: Condition,
  expression: Expression = { text: '', names: {}, values: {} },
): Expression {
  const counter = () => Object.keys(expression.values).length + Object.keys(expression.names).length;
  const compare = (operator: string, field: string, value: unknown): string => {
    const index = counter();
    expression.names[`#f${index}`] = field;
    expression.values[`:v${index}`] = value;
    return `#f${index} ${operator} :v${index}`;
  };
  const render = (inner: Condition): string => {
    switch (inner.kind) {
      case 'absent':
        return 'attribute_not_exists(pk)';
      case 'equals':
        return compare('=', inner.field, inner.value);
      case 'notEquals':
        return compare('<>', inner.field, inner.value);
      case 'lessThan':
        return compare('<', inner.field, inner.value);
      case 'or':
        return `(${inner.conditions.map(render).join(' OR ')})`;
    }
  };
  expression.text = render(condition);
  return expression;
}

function isConditionFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

function conditionParameters(condition: Condition | undefined): Record<string, unknown> {
  if (!condition) return {};
  const expression = conditionExpression(condition);
  return {
    ConditionExpression: expression.text,
    ...(Object.keys(expression.names).length ? { ExpressionAttributeNames: expression.names } : {}),
    ...(Object.keys(expression.values).length ? { ExpressionAttributeValues: expression.values } : {}),
  };
}

export class DynamoDbItemTable implements ItemTable {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  private readonly queryPageSize: number | undefined;

  constructor(options: DynamoDbItemTableOptions) {
    this.documentClient = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.tableName = options.tableName;
    this.queryPageSize = options.queryPageSize;
  }

  async get(key: ItemKey): Promise<Item | undefined> {
    const response = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
    );
    return response.Item as Item | undefined;
  }

  async put(item: Item, condition?: Condition): Promise<{ written: boolean; previous?: Item }> {
    try {
      const response = await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ReturnValues: 'ALL_OLD',
          ...conditionParameters(condition),
        }),
      );
      return { written: true, ...(response.Attributes ? { previous: response.Attributes as Item } : {}) };
    } catch (error) {
      if (isConditionFailed(error)) return { written: false };
      throw error;
    }
  }

  async delete(key: ItemKey, condition?: Condition): Promise<boolean> {
    try {
      const response = await this.documentClient.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: key.pk, sk: key.sk },
          ReturnValues: 'ALL_OLD',
          ...conditionParameters(condition),
        }),
      );
      return response.Attributes !== undefined;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async query(pk: string, skPrefix?: string): Promise<Item[]> {
    const items: Item[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
          ConsistentRead: true,
          ...(this.queryPageSize ? { Limit: this.queryPageSize } : {}),
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }

  async add(key: ItemKey, counters: Record<string, number>, set: Record<string, unknown> = {}): Promise<Item> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const setParts: string[] = [];
    const addParts: string[] = [];
    Object.entries(set).forEach(([field, value], index) => {
      names[`#s${index}`] = field;
      values[`:s${index}`] = value;
      setParts.push(`#s${index} = :s${index}`);
    });
    Object.entries(counters).forEach(([field, delta], index) => {
      names[`#a${index}`] = field;
      values[`:a${index}`] = delta;
      addParts.push(`#a${index} :a${index}`);
    });
    const response = await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: [
          setParts.length ? `SET ${setParts.join(', ')}` : '',
          addParts.length ? `ADD ${addParts.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return response.Attributes as Item;
  }
}
