import { relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { defineApp } from './define-app';

/**
 * The CDK app (cdk.json runs it; so does `npm run synth`, with CDK_OUTDIR=cdk.out).
 * `-c stage=prod` (or `--context stage=prod`) selects production settings.
 */
const app = new App();
defineApp(app);
try {
  for (const stack of app.synth().stacks) console.error(`${stack.stackName}: ${relative(process.cwd(), stack.templateFullPath)}`);
} catch (error) {
  // cdk-nag findings and other validation failures arrive here, already formatted.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
