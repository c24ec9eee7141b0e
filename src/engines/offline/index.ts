import { TechnologyMatcher } from '../../catalog/index.ts';
import type { Catalog } from '../../schemas/index.ts';
import { NO_USAGE, type Engine, type EngineResult } from '../engine.ts';
import { analyzeOffline } from './analyze.ts';
import { classifyOffline } from './classify.ts';
import { documentFaultCategory } from './document-category.ts';
import { describeOpportunitiesOffline, foldThemesOffline } from './fold.ts';
import { summarizeOffline } from './summarize.ts';

/** Bump when the offline engine's behaviour changes: it invalidates cached results. */
export const OFFLINE_ENGINE_VERSION = '27';

/** Who the offline engine is, inline or on worker threads (worker-pool.ts): the same cache keys either way. */
export const OFFLINE_ENGINE_DESCRIPTOR = Object.freeze({
  id: 'offline',
  model: 'extractive',
  version: OFFLINE_ENGINE_VERSION,
});

function result<T>(output: T): Promise<EngineResult<T>> {
  return Promise.resolve({ output, usage: { ...NO_USAGE }, warnings: [] });
}

/** The deterministic, extractive engine: no model, no network, never a sentence not in the source. */
export function createOfflineEngine(catalog: Catalog): Engine {
  const matcher = new TechnologyMatcher(catalog);
  // What the similarity fold leaves out of the words it compares: a theme crosses technologies.
  const technologyNames = catalog.technologies.flatMap((entry) => [entry.name, ...entry.aliases]);
  return {
    descriptor: { ...OFFLINE_ENGINE_DESCRIPTOR },
    summarize: (postmortem) => result(summarizeOffline(postmortem)),
    classify: ({ postmortem, summary }) =>
      result({ ...classifyOffline(postmortem, matcher), ...documentFaultCategory(postmortem, summary) }),
    analyze: ({ postmortem, classification, technology }) =>
      result(analyzeOffline(postmortem, classification, technology, matcher)),
    foldPatterns: ({ incidents }) => result(foldThemesOffline(incidents, technologyNames)),
    describeOpportunities: ({ patterns }) => result(describeOpportunitiesOffline(patterns)),
  };
}
