import { ConfigurationError } from '../errors.ts';
import type { Catalog } from '../schemas/index.ts';
import type { Engine } from './engine.ts';
import { createOfflineEngine } from './offline/index.ts';

export type { Engine, EngineDescriptor, EngineResult, Usage } from './engine.ts';

export const ENGINE_IDS = ['offline'] as const;

export interface EngineOptions {
  engine: string;
  catalog: Catalog;
}

/** One factory for every engine the CLI and the Lambdas can name. */
export function createEngine(options: EngineOptions): Engine {
  switch (options.engine) {
    case 'offline':
      return createOfflineEngine(options.catalog);
    default:
      throw new ConfigurationError(`unknown engine "${options.engine}"; available: ${ENGINE_IDS.join(', ')}`);
  }
}
