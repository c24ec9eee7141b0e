import { TechnologyMatcher } from '../../catalog/index.ts';
import { estimateRequestInputTokens } from '../../models/governor.ts';
import { estimateTokens, type LanguageModel, type ModelRequest } from '../../models/language-model.ts';
import type { PromptSet, PromptStage } from '../../prompts/index.ts';
import { FAULT_CATEGORIES, type Catalog } from '../../schemas/index.ts';
import {
  addUsage,
  NO_USAGE,
  type Engine,
  type EngineResult,
  type OpportunitySubject,
  type OpportunityText,
} from '../engine.ts';
import { documentFaultCategory } from '../offline/document-category.ts';
import { describeOpportunitiesOffline } from '../offline/fold.ts';
import { batchByBudget, foldHierarchically } from './fold.ts';
import { classificationInput, dataBlock, digestInput, documentInput } from './passages.ts';
import { generateStructured } from './structured.ts';
import {
  ClassificationOutput,
  DigestOutput,
  OpportunitiesOutput,
  PatternsOutput,
  SummaryOutput,
  TOOLS,
} from './tools.ts';

export interface ModelEngineOptions {
  /** Engine id for outputs and cache keys: "bedrock", "openai", "replay"... */
  id: string;
  models: Record<PromptStage, LanguageModel>;
  prompts: PromptSet;
  catalog: Catalog;
  /** Largest prompt body a fold call may carry, in estimated tokens. */
  foldInputBudgetTokens?: number;
}

export const DEFAULT_FOLD_INPUT_BUDGET_TOKENS = 24_000;

function catalogText(catalog: Catalog): string {
  return catalog.technologies
    .map((entry) => `- ${entry.name}${entry.aliases.length > 0 ? ` (also: ${entry.aliases.join(', ')})` : ''}`)
    .join('\n');
}

/** A model-written name in a warning: short catalog-like names only, never free text (warnings are logged). */
function nameForWarning(name: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} ._+#/-]{0,39}$/u.test(name) && !/@|\d{4,}/.test(name)
    ? `"${name}"`
    : `(${name.length} characters)`;
}

function renderPattern(subject: OpportunitySubject): string {
  return `theme ${subject.id} | ${subject.technologies.join(', ') || 'no catalog technology'} | ${subject.faultCategory} | ${subject.count} incident(s) | ${subject.theme}\n  ${subject.description}\n  factors: ${subject.contributingFactors.join(', ') || 'none'}`;
}

/** Every stage through a language model: prompts from prompts/, structured output by forced tool use. */
export function createModelEngine(options: ModelEngineOptions): Engine {
  const { models, prompts, catalog } = options;
  const matcher = new TechnologyMatcher(catalog);
  const budget = options.foldInputBudgetTokens ?? DEFAULT_FOLD_INPUT_BUDGET_TOKENS;
  const systems: Record<PromptStage, string> = {
    summarize: prompts.summarize.system,
    classify: `${prompts.classify.system}\n\n# Catalog (canonical names first)\n${catalogText(catalog)}`,
    analyze: prompts.analyze.system,
    patterns: `${prompts.patterns.system}\n\n# Fault categories\n${FAULT_CATEGORIES.join(', ')}`,
    opportunities: prompts.opportunities.system,
  };
  // The budget bounds the whole prompt: what the data block may use is the budget less the fixed parts.
  const fixedTokens = (stage: 'patterns' | 'opportunities'): number =>
    estimateRequestInputTokens(request(stage, 'corpus', '<digests technology="" level="0">\n</digests>', TOOLS[stage]));
  const modelIds = Object.values(models).map((model) => `${model.provider}:${model.modelId}`);
  const versions = Object.values(prompts).map((prompt) => `${prompt.id}@${prompt.version}`);

  function request(stage: PromptStage, subject: string, content: string, tool: ModelRequest['tool']): ModelRequest {
    return {
      label: { stage, subject, promptId: prompts[stage].id, promptVersion: prompts[stage].version },
      system: systems[stage],
      messages: [{ role: 'user', content }],
      tool,
      maxTokens: prompts[stage].maxTokens,
      temperature: 0,
    };
  }

  async function describeBatch(batch: OpportunitySubject[]): Promise<EngineResult<OpportunityText[]>> {
    const body = batch.map(renderPattern).join('\n\n');
    const result = await generateStructured(
      models.opportunities,
      request('opportunities', 'corpus', dataBlock('patterns', {}, body), TOOLS.opportunities),
      OpportunitiesOutput,
    );
    return { output: result.value.opportunities, usage: result.usage, warnings: result.warnings };
  }

  return {
    descriptor: { id: options.id, model: [...new Set(modelIds)].join(','), version: [...versions].join(',') },

    async summarize(postmortem) {
      const content = documentInput(postmortem);
      const result = await generateStructured(
        models.summarize,
        request('summarize', postmortem.id, content, TOOLS.summarize),
        SummaryOutput,
      );
      return { output: { docId: postmortem.id, ...result.value }, usage: result.usage, warnings: result.warnings };
    },

    async classify({ postmortem, summary }) {
      const content = classificationInput(postmortem, summary, matcher);
      const result = await generateStructured(
        models.classify,
        request('classify', postmortem.id, content, TOOLS.classify),
        ClassificationOutput,
      );
      const known = new Set(matcher.technologies);
      const warnings = [...result.warnings];
      const causal = result.value.causal.filter(
        (entry) =>
          known.has(entry.technology) ||
          (warnings.push(`dropped a technology not in the catalog ${nameForWarning(entry.technology)}`), false),
      );
      const mentioned = result.value.mentioned.filter((entry) => known.has(entry.technology));
      // A model that names no category gets the offline reading of the document's causes: every document has one.
      const category =
        result.value.faultCategory === undefined
          ? documentFaultCategory(postmortem, summary)
          : { faultCategory: result.value.faultCategory, faultSecondary: result.value.faultSecondary ?? null };
      return {
        output: {
          docId: postmortem.id,
          causal,
          mentioned,
          unnamedCause: result.value.unnamedCause,
          flags: [],
          ...category,
        },
        usage: result.usage,
        warnings,
      };
    },

    async analyze({ postmortem, summary, classification, technology }) {
      const content = digestInput(postmortem, summary, classification, technology, matcher);
      const result = await generateStructured(
        models.analyze,
        request('analyze', `${postmortem.id}#${technology}`, content, TOOLS.analyze),
        DigestOutput,
      );
      return {
        output: { docId: postmortem.id, technology, ...result.value },
        usage: result.usage,
        warnings: result.warnings,
      };
    },

    async foldPatterns({ incidents }) {
      const outcome = await foldHierarchically(
        incidents,
        async (body, level) => {
          const content = dataBlock('incidents', { level: String(level) }, body);
          const result = await generateStructured(
            models.patterns,
            request('patterns', `corpus#level${level}`, content, TOOLS.patterns),
            PatternsOutput,
          );
          return { drafts: result.value.themes, usage: result.usage, warnings: result.warnings };
        },
        Math.max(1, budget - fixedTokens('patterns')),
      );
      return { output: outcome.drafts, usage: outcome.usage, warnings: outcome.warnings };
    },

    async describeOpportunities({ patterns }) {
      let usage = NO_USAGE;
      const warnings: string[] = [];
      const texts: OpportunityText[] = [];
      const batches = batchByBudget(
        patterns,
        (pattern) => estimateTokens(renderPattern(pattern)) + 1,
        Math.max(1, budget - fixedTokens('opportunities')),
      );
      const results = await Promise.all(batches.map(describeBatch));
      for (const [index, batch] of batches.entries()) {
        const result = results[index] as EngineResult<OpportunityText[]>;
        usage = addUsage(usage, result.usage);
        warnings.push(...result.warnings);
        const wanted = new Set(batch.map((pattern) => pattern.id));
        texts.push(...result.output.filter((text) => wanted.has(text.patternId)));
      }
      const described = new Set(texts.map((text) => text.patternId));
      const missing = patterns.filter((pattern) => !described.has(pattern.id));
      if (missing.length > 0) {
        warnings.push(
          `the model proposed nothing for ${missing.length} pattern(s); the fixed investment catalogue worded them`,
        );
        texts.push(...describeOpportunitiesOffline(missing));
      }
      return { output: texts, usage, warnings };
    },
  };
}
