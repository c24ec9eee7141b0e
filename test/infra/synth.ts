/** Synthesizes the stack for the infra tests, with cdk.json's context and bundling skipped. */
import { readFileSync } from 'node:fs';
import { App, type AppProps, type Environment } from 'aws-cdk-lib';
import { configFromContext } from '../../infra/config.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { PostmortemLensStack } from '../../infra/stack.ts';
import { temporaryFolder } from '../support/temporary-folder.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Synthesized {
  app: App;
  stack: PostmortemLensStack;
}

/**
 * An app whose cloud assembly goes to a temporary folder that the test file removes: an App
 * without `outdir` makes a `cdk.out*` folder in the OS temp dir, which aws-cdk-lib removes only on a
 * normal process exit (Vitest's workers leave them behind).
 */
export function scratchApp(props: AppProps = {}): App {
  return new App({ ...props, outdir: temporaryFolder('pmlens-cdk-') });
}

/** The app as infra/app.ts builds it (cdk-nag included), with extra context and no bundling. */
export function synthesize(context: Record<string, unknown> = {}, env?: Environment): Synthesized {
  const app = scratchApp({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const stack = new PostmortemLensStack(app, 'PostmortemLens', { config, env });
  addNagChecks(app);
  return { app, stack };
}
