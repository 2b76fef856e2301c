import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineApp } from '../../infra/define-app';
import type { RouteTable } from '../../infra/route-areas';

/** One template CloudFormation deploys as a stack of its own (nested stacks included). */
export interface DeployedTemplate {
  /** The stack's name, or the nested stack's path in the app. */
  name: string;
  template: Template;
  resourceCount: number;
  /** A nested stack of the Stateless stack (one area of the route table). */
  nested: boolean;
}

export interface SynthesizedStage {
  stateful: Template;
  /**
   * The Stateless stack with the resources of its nested stacks merged in: everything it
   * deploys (logical ids are unique across them; synthesis fails if they are not).
   */
  stateless: Template;
  /** The Stateless stack's own template, without its nested stacks' resources. */
  statelessParent: Template;
  /** Every template, top-level and nested, with its resource count. */
  templates: DeployedTemplate[];
  /** The logical id of the AWS::CloudFormation::Stack in the parent whose template holds `logicalId`; undefined for the parent's own. */
  nestedStackOf: (logicalId: string) => string | undefined;
  /** What cdk-nag (and any other validation) reported; null when synthesis passed. */
  violations: string | null;
}

type TemplateJson = { Resources: Record<string, unknown> } & Record<string, unknown>;

/**
 * Synthesizes the app for a stage the way `npm run synth` does, cdk-nag included, but without
 * bundling the functions (`npm run synth` checks that): call it once per test file. `tables`
 * replaces functions/routes/index.ts, e.g. with a larger table to check the stacks' headroom.
 */
export function synthesizeStage(context: Record<string, string> = {}, tables?: { routes: RouteTable }): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), 'tokenstocks-cdk-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const stacks = defineApp(app, tables);
    let violations: string | null = null;
    try {
      app.synth();
    } catch (error) {
      violations = error instanceof Error ? error.message : String(error);
    }
    const read = (file: string): TemplateJson => {
      // Some failures (a stack over CloudFormation's 500 resources) stop synthesis before any template is written.
      if (!existsSync(join(outdir, file))) throw new Error(`synthesis wrote no ${file}: ${violations}`);
      return JSON.parse(readFileSync(join(outdir, file), 'utf8'));
    };
    const deployed = (name: string, json: TemplateJson, nested = false): DeployedTemplate => ({
      name,
      template: Template.fromJSON(json),
      resourceCount: Object.keys(json.Resources).length,
      nested,
    });

    const statelessJson = read(stacks.stateless.templateFile);
    const nested = stacks.stateless.node
      .findAll()
      .filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct))
      .map((stack) => {
        if (stack.nestedStackResource === undefined) throw new Error(`${stack.node.path} has no stack resource`);
        return { stack, json: read(stack.templateFile), resourceId: Stack.of(stack.nestedStackResource).resolve(stack.nestedStackResource.logicalId) as string };
      });

    const merged: Record<string, unknown> = { ...statelessJson.Resources };
    const nestedStackByResource = new Map<string, string>();
    for (const { stack, json, resourceId } of nested) {
      for (const [logicalId, resource] of Object.entries(json.Resources)) {
        if (logicalId in merged) throw new Error(`${logicalId} of ${stack.node.path} is also in another template of the Stateless stack`);
        merged[logicalId] = resource;
        nestedStackByResource.set(logicalId, resourceId);
      }
    }

    return {
      stateful: Template.fromJSON(read(stacks.stateful.templateFile)),
      stateless: Template.fromJSON({ ...statelessJson, Resources: merged }),
      statelessParent: Template.fromJSON(statelessJson),
      templates: [
        deployed(stacks.stateful.stackName, read(stacks.stateful.templateFile)),
        deployed(stacks.stateless.stackName, statelessJson),
        ...nested.map(({ stack, json }) => deployed(stack.node.path, json, true)),
      ],
      nestedStackOf: (logicalId) => nestedStackByResource.get(logicalId),
      violations,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string }>;

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

/** The environment of every function of ours: AppFunction sets the Powertools variables (CDK's custom-resource framework has none). */
export const appFunctionEnvironments = (template: Template): Record<string, string>[] =>
  Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
    .map((fn) => fn.Properties?.Environment?.Variables ?? {})
    .filter((variables) => 'POWERTOOLS_LOG_LEVEL' in variables);
