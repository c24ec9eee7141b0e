/** Synthesizes the stack for the infra tests, with cdk.json's context and bundling skipped. */
import { readFileSync } from 'node:fs';
import { App, type Environment } from 'aws-cdk-lib';
import { configFromContext } from '../../infra/config.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { PostmortemLensStack } from '../../infra/stack.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Synthesized {
  app: App;
  stack: PostmortemLensStack;
}

/** The app as infra/app.ts builds it (cdk-nag included), with extra context and no bundling. */
export function synthesize(context: Record<string, unknown> = {}, env?: Environment): Synthesized {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const stack = new PostmortemLensStack(app, 'PostmortemLens', { config, env });
  addNagChecks(app);
  return { app, stack };
}
