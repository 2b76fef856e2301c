import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineApp } from '../../infra/define-app';

export interface SynthesizedStage {
  stateful: Template;
  stateless: Template;
  /** What cdk-nag (and any other validation) reported; null when synthesis passed. */
  violations: string | null;
}

/**
 * Synthesizes the app for a stage the way `npm run synth` does, cdk-nag included, but without
 * bundling the functions (`npm run synth` checks that): call it once per test file.
 */
export function synthesizeStage(context: Record<string, string> = {}): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), 'tokenstocks-cdk-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const stacks = defineApp(app);
    let violations: string | null = null;
    try {
      app.synth();
    } catch (error) {
      violations = error instanceof Error ? error.message : String(error);
    }
    const template = (stackName: string) =>
      Template.fromJSON(JSON.parse(readFileSync(join(outdir, `${stackName}.template.json`), 'utf8')));
    return { stateful: template(stacks.stateful.stackName), stateless: template(stacks.stateless.stackName), violations };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string[] }>;

export const resourcesOf = (template: Template, type: string): Resources =>
  template.findResources(type) as Resources;

/** Every IAM policy statement in a template: those of policies and those inline in roles. */
export function iamStatements(template: Template): { Action: string | string[]; Resource?: unknown }[] {
  const documents = [
    ...Object.values(resourcesOf(template, 'AWS::IAM::Policy')).map((policy) => policy.Properties?.PolicyDocument),
    ...Object.values(resourcesOf(template, 'AWS::IAM::Role')).flatMap((role) =>
      (role.Properties?.Policies ?? []).map((policy: { PolicyDocument: unknown }) => policy.PolicyDocument),
    ),
  ];
  return documents.flatMap((document) => document?.Statement ?? []);
}
