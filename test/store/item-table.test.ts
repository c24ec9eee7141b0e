/** The item table's conditions: `holds()` (memory and file tables), `conditionExpression()` (DynamoDB), and that the two agree. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionExpression, createDynamoDbClient, DynamoDbItemTable } from '../../src/store/dynamodb-item-table.ts';
import { holds, MemoryItemTable, when, type Condition, type Item } from '../../src/store/item-table.ts';
import { startDynalite, type LocalDynamoDb } from '../support/aws-servers.ts';

const LOCK: Item = { pk: 'LOCK', sk: 'corpus', holder: 'run-a', expiresAt: 100, count: 3, open: true };

describe('holds', () => {
  it('absent holds only where there is no item', () => {
    expect(holds(when.absent(), undefined)).toBe(true);
    expect(holds(when.absent(), LOCK)).toBe(false);
  });

  it('equals compares the field strictly, and is false on a missing field or item', () => {
    expect(holds(when.equals('holder', 'run-a'), LOCK)).toBe(true);
    expect(holds(when.equals('holder', 'run-b'), LOCK)).toBe(false);
    expect(holds(when.equals('count', '3'), LOCK)).toBe(false);
    expect(holds(when.equals('open', true), LOCK)).toBe(true);
    expect(holds(when.equals('missing', 'x'), LOCK)).toBe(false);
    expect(holds(when.equals('holder', 'run-a'), undefined)).toBe(false);
  });

  it('notEquals is true on another value and on a missing field', () => {
    expect(holds(when.notEquals('holder', 'run-b'), LOCK)).toBe(true);
    expect(holds(when.notEquals('holder', 'run-a'), LOCK)).toBe(false);
    expect(holds(when.notEquals('count', '3'), LOCK)).toBe(true);
    expect(holds(when.notEquals('missing', 'x'), LOCK)).toBe(true);
  });

  it('lessThan compares numbers as numbers and strings as strings, never across types', () => {
    expect(holds(when.lessThan('expiresAt', 101), LOCK)).toBe(true);
    expect(holds(when.lessThan('expiresAt', 100), LOCK)).toBe(false);
    expect(holds(when.lessThan('expiresAt', 99), LOCK)).toBe(false);
    // 100 < 99 numerically false, '100' < '99' as strings true: a string bound must not compare a number.
    expect(holds(when.lessThan('expiresAt', '99'), LOCK)).toBe(false);
    expect(holds(when.lessThan('holder', 'run-b'), LOCK)).toBe(true);
    expect(holds(when.lessThan('holder', 'run-a'), LOCK)).toBe(false);
    expect(holds(when.lessThan('missing', 1), LOCK)).toBe(false);
    expect(holds(when.lessThan('expiresAt', 1), undefined)).toBe(false);
  });

  it('or holds when any of its conditions holds', () => {
    const acquirable = (now: number) =>
      when.or(when.absent(), when.lessThan('expiresAt', now), when.equals('holder', 'run-b'));
    expect(holds(acquirable(50), undefined)).toBe(true);
    expect(holds(acquirable(50), LOCK)).toBe(false);
    expect(holds(acquirable(101), LOCK)).toBe(true);
    expect(holds(acquirable(50), { ...LOCK, holder: 'run-b' })).toBe(true);
    expect(holds({ kind: 'or', conditions: [] }, LOCK)).toBe(false);
    expect(holds(when.or(when.or(when.equals('holder', 'x')), when.or(when.equals('count', 3))), LOCK)).toBe(true);
  });
});

describe('conditionExpression', () => {
  it('renders absent on the partition key, without placeholders', () => {
    expect(conditionExpression(when.absent())).toEqual({ text: 'attribute_not_exists(pk)', names: {}, values: {} });
  });

  it('renders comparisons with name and value placeholders (reserved words such as status are safe)', () => {
    expect(conditionExpression(when.equals('status', 'analysed'))).toEqual({
      text: '#f0 = :v0',
      names: { '#f0': 'status' },
      values: { ':v0': 'analysed' },
    });
    expect(conditionExpression(when.notEquals('status', 'failed')).text).toBe('#f0 <> :v0');
    expect(conditionExpression(when.lessThan('expiresAt', 42))).toEqual({
      text: '#f0 < :v0',
      names: { '#f0': 'expiresAt' },
      values: { ':v0': 42 },
    });
  });

  it('numbers placeholders uniquely through nested or', () => {
    const expression = conditionExpression(
      when.or(
        when.absent(),
        when.lessThan('expiresAt', 7),
        when.or(when.equals('holder', 'run-a'), when.notEquals('holder', 'run-b')),
      ),
    );
    expect(expression.text).toBe('(attribute_not_exists(pk) OR #f0 < :v0 OR (#f2 = :v2 OR #f4 <> :v4))');
    expect(expression.names).toEqual({ '#f0': 'expiresAt', '#f2': 'holder', '#f4': 'holder' });
    expect(expression.values).toEqual({ ':v0': 7, ':v2': 'run-a', ':v4': 'run-b' });
  });
});

describe('holds() and DynamoDB agree on conditional writes', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let dynamoTable: DynamoDbItemTable;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = createDynamoDbClient({ endpoint: dynamo.url, region: dynamo.region, credentials: dynamo.credentials });
    await dynamo.createTable('conditions');
    dynamoTable = new DynamoDbItemTable({ client, tableName: 'conditions' });
  });

  afterAll(async () => {
    client?.destroy();
    await dynamo?.close();
  });

  const CONDITIONS: [string, Condition][] = [
    ['absent', when.absent()],
    ['equals holder', when.equals('holder', 'run-a')],
    ['equals other holder', when.equals('holder', 'run-b')],
    ['equals missing field', when.equals('missing', 'x')],
    ['notEquals holder', when.notEquals('holder', 'run-a')],
    ['notEquals other holder', when.notEquals('holder', 'run-b')],
    ['notEquals missing field', when.notEquals('missing', 'x')],
    ['lessThan later', when.lessThan('expiresAt', 101)],
    ['lessThan same', when.lessThan('expiresAt', 100)],
    ['lessThan string bound', when.lessThan('expiresAt', '99')],
    ['lessThan string', when.lessThan('holder', 'run-b')],
    ['lessThan missing field', when.lessThan('missing', 1)],
    ['or', when.or(when.absent(), when.equals('holder', 'run-b'), when.lessThan('expiresAt', 50))],
  ];

  it('give the same answer for every condition, on an existing item and on no item', async () => {
    // Prepare
    const disagreements: string[] = [];

    // Act
    for (const [name, condition] of CONDITIONS) {
      for (const present of [true, false]) {
        const memory = new MemoryItemTable();
        const key = { pk: present ? 'LOCK' : 'NONE', sk: `case-${name}` };
        if (present) {
          await memory.put({ ...LOCK, ...key });
          await dynamoTable.put({ ...LOCK, ...key });
        }
        const inMemory = (await memory.put({ ...key, marker: 1 }, condition)).written;
        const inDynamoDb = (await dynamoTable.put({ ...key, marker: 1 }, condition)).written;
        if (inMemory !== inDynamoDb)
          disagreements.push(
            `${name} on ${present ? 'an item' : 'no item'}: memory ${inMemory}, dynamodb ${inDynamoDb}`,
          );
      }
    }

    // Assess
    expect(disagreements).toEqual([]);
  });
});
