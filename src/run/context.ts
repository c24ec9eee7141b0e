/**
 * The run context: everything a run step needs, built the same way by the CLI, `eval`, the dry
 * run and every Lambda: where sources and outputs live, the state store, the engine with its
 * cache and trust settings, the catalog and the incident metadata.
 */
import { TechnologyMatcher } from '../catalog/index.ts';
import type { Engine } from '../engines/engine.ts';
import { classifyOffline } from '../engines/offline/classify.ts';
import { ConfigurationError } from '../errors.ts';
import { DEFAULT_MAX_BYTES, ingestSource } from '../ingest/index.ts';
import { createRedactor, RedactionSession } from '../privacy/index.ts';
import type { Catalog, IncidentMetadata, Postmortem } from '../schemas/index.ts';
import {
  hashOf,
  ResultCache,
  STAGE_VERSIONS,
  type StageCache,
  type StageContext,
  type StageObserver,
} from '../stages/index.ts';
import { GUARD_VERSION } from '../trust/attribution-guard.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { StateStore } from '../store/state-store.ts';
import { layout } from './layout.ts';
import { nameOf } from './identity.ts';
import type { SourceStore } from './sources.ts';

export interface RunContext {
  sources: SourceStore;
  artifacts: ObjectStore;
  state: StateStore;
  engine: Engine;
  catalog: Catalog;
  catalogHash: string;
  metadata: ReadonlyMap<string, IncidentMetadata>;
  maxBytes: number;
  /** Parses a source's bytes (ingestSource): on the calling thread, or on the offline engine's worker threads (the CLI). */
  ingest: typeof ingestSource;
  cache: StageCache;
  stages: StageContext;
  /** What produced a document's outputs: engine, model, prompt and stage versions, catalog. A change reanalyses the corpus (through the cache). */
  fingerprint: string;
  observer?: StageObserver;
  /** Input problems the report states (the CLI's metadata warnings). */
  warnings?: string[];
  /**
   * Redaction of personal data at ingest, before any model sees a document (on by default for
   * model engines, off for the offline engine); its mapping stays in the state store.
   */
  privacy?: RedactionSession;
}

export interface RunContextParts {
  sources: SourceStore;
  artifacts: ObjectStore;
  state: StateStore;
  engine: Engine;
  catalog: Catalog;
  metadata?: ReadonlyMap<string, IncidentMetadata>;
  maxBytes?: number;
  /** Where ingest parses a source: ingestSource itself (default), or the same function on worker threads. */
  ingest?: typeof ingestSource;
  observer?: StageObserver;
  /** List the cache once up front (a long local run), instead of a read per lookup (a Lambda). */
  indexedCache?: boolean;
  /** The stage cache; default: results as objects of `artifacts` under cache/ (ResultCache). */
  cache?: StageCache;
  /** Redact personal data at ingest; default: on for a model engine, off for the offline engine. */
  redact?: boolean;
  /**
   * The secret of keyed placeholders; default PMLENS_REDACTION_KEY, else the one the state store
   * keeps. Give the same one to two stores (the CLI and AWS, a recording and its replay) and they
   * redact a value to the same placeholder.
   */
  redactionKey?: string;
}

/** `on` / `off` (also true/false, yes/no, 1/0) from a flag or a variable; undefined: the engine's default. */
export function redactSetting(value: string | undefined, source: string): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const normalised = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(normalised)) return true;
  if (['off', 'false', 'no', '0'].includes(normalised)) return false;
  throw new ConfigurationError(`${source} must be on or off`);
}

/** Whether a run redacts: as asked, or by default for every engine but the offline one (whose documents never leave). */
export function redactionEnabled(engine: Pick<Engine, 'descriptor'>, redact?: boolean): boolean {
  return redact ?? engine.descriptor.id !== 'offline';
}

export function createRunContext(parts: RunContextParts): RunContext {
  const catalogHash = hashOf(parts.catalog);
  const cache = parts.cache ?? new ResultCache(parts.artifacts, layout.cache, { indexed: parts.indexedCache ?? false });
  const matcher = new TechnologyMatcher(parts.catalog);
  // A model engine's causes are cross-checked against the offline classifier; the offline engine's are its own.
  const crossCheck =
    parts.engine.descriptor.id === 'offline'
      ? undefined
      : (postmortem: Postmortem) => classifyOffline(postmortem, matcher);
  const stages: StageContext = {
    engine: parts.engine,
    cache,
    observer: parts.observer,
    trust: { matcher, crossCheck },
  };
  const redact = redactionEnabled(parts.engine, parts.redact);
  return {
    sources: parts.sources,
    artifacts: parts.artifacts,
    state: parts.state,
    engine: parts.engine,
    catalog: parts.catalog,
    catalogHash,
    metadata: parts.metadata ?? new Map(),
    maxBytes: parts.maxBytes ?? DEFAULT_MAX_BYTES,
    ingest: parts.ingest ?? ingestSource,
    cache,
    stages,
    // Redaction changes every input a stage sees: it is part of what produced the outputs.
    fingerprint: hashOf({
      engine: parts.engine.descriptor,
      stages: STAGE_VERSIONS,
      // The attribution guard and claim verification run on every read: a new judgement re-runs analysed documents.
      trust: GUARD_VERSION,
      catalog: catalogHash,
      ...(redact ? { redaction: 2 } : {}),
    }).slice(0, 16),
    ...(parts.observer ? { observer: parts.observer } : {}),
    ...(redact
      ? {
          privacy: new RedactionSession(
            parts.state,
            createRedactor(matcher),
            parts.redactionKey ?? (process.env.PMLENS_REDACTION_KEY || undefined),
          ),
        }
      : {}),
  };
}

/** A document's row of the metadata file: by document id, or by its source name (path without extension) as people write it. */
export function metadataOf(
  context: Pick<RunContext, 'metadata'>,
  docId: string,
  sourceKey: string,
): IncidentMetadata | undefined {
  return context.metadata.get(docId) ?? context.metadata.get(nameOf(sourceKey)) ?? context.metadata.get(sourceKey);
}
