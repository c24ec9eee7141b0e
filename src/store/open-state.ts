/** The state stores a command or a Lambda opens: a JSON file in the output folder, or a DynamoDB table. */
import path from 'node:path';
import { createDynamoDbClient, DynamoDbItemTable, type DynamoDbClientOptions } from './dynamodb-item-table.ts';
import { LocalItemTable } from './local-item-table.ts';
import { StateStore } from './state-store.ts';

/** The CLI's state: `<outDir>/state.json`. */
export const LOCAL_STATE_FILE = 'state.json';

export async function openLocalStateStore(outDir: string): Promise<StateStore> {
  return new StateStore(await LocalItemTable.open(path.join(outDir, LOCAL_STATE_FILE)));
}

export function openDynamoDbStateStore(
  options: DynamoDbClientOptions & { tableName: string; client?: ReturnType<typeof createDynamoDbClient> },
): StateStore {
  return new StateStore(
    new DynamoDbItemTable({ client: options.client ?? createDynamoDbClient(options), tableName: options.tableName }),
  );
}
