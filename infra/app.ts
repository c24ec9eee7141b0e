/**
 * The CDK app, run by `npx cdk synth` (cdk.json: `npx tsx infra/app.ts`). Configuration comes from
 * context (cdk.json or `-c key=value`; every key in infra/config.ts). cdk-nag's AWS Solutions
 * checks run at synthesis: a finding not acknowledged in code (infra/nag.ts) stops it.
 */
import { App } from 'aws-cdk-lib';
import { configFromContext, InfraConfigError } from './config.ts';
import { addNagChecks } from './nag.ts';
import { PostmortemLensStack } from './stack.ts';

const app = new App();
try {
  const config = configFromContext((key) => app.node.tryGetContext(key));
  // Environment-agnostic: the template deploys to whichever account and Region the CLI targets.
  new PostmortemLensStack(app, 'PostmortemLens', { config });
} catch (error) {
  if (!(error instanceof InfraConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addNagChecks(app);
