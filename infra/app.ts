/**
 * The CDK app, run by `npx cdk synth` (cdk.json: `npx tsx infra/app.ts`). Configuration comes from
 * context (cdk.json or `-c key=value`; every key in infra/config.ts). cdk-nag's AWS Solutions
 * checks run at synthesis: a finding not acknowledged in code (infra/nag.ts) stops it.
 *
 * The stack is environment-agnostic unless `-c region=<region>` (and optionally
 * `-c account=<id>`) pins it: then a model that cannot be called from that Region (a `us.`
 * inference profile in eu-west-1, an ARN of another Region) stops synthesis here.
 */
import { App } from 'aws-cdk-lib';
import { configFromContext, InfraConfigError, modelIdsOf, modelRegionProblem } from './config.ts';
import { addNagChecks } from './nag.ts';
import { PostmortemLensStack } from './stack.ts';

const app = new App();
try {
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const problems = config.region
    ? modelIdsOf(config).flatMap((model) => modelRegionProblem(model, config.region as string) ?? [])
    : [];
  if (problems.length > 0) throw new InfraConfigError(`models do not fit the Region:\n  ${problems.join('\n  ')}`);
  new PostmortemLensStack(app, 'PostmortemLens', {
    config,
    // Without a Region the template deploys to whichever account and Region the CLI targets.
    ...(config.region ? { env: { region: config.region, account: config.account } } : {}),
  });
} catch (error) {
  if (!(error instanceof InfraConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addNagChecks(app);
