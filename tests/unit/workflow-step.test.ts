import { describe, expect, it, vi } from 'vitest';
import * as z from '../../shared/zod';
import { lambdaContext } from '../../local/lambda-context';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { metrics, MetricUnit } from '../../shared/metrics';
import { WORKFLOW_ERRORS } from '../../shared/redemptions/workflow-definition';
import { WorkflowStepError } from '../../shared/redemptions/workflow-step-error';

const context = () => lambdaContext({ functionName: 'probe-step', timeoutSeconds: 30 });
const input = z.object({ redemption_id: z.uuid() });

describe('a workflow step', () => {
  it('refuses an input its schema does not accept, under a name of its own, without running', async () => {
    // Prepare
    const handle = vi.fn(async () => 'ran');
    const step = workflowStep('probe-step', input, handle);

    // Act
    const run = step({ redemption_id: 'not-a-uuid' }, context());

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'WorkflowStepInputInvalid', message: expect.stringContaining('redemption_id') });
    expect(handle).not.toHaveBeenCalled();
  });

  it('hands the parsed input on and returns what the step returns', async () => {
    const id = '6f1c2a9e-0b7d-4c1e-9a43-2d5e8b7f0c11';
    const step = workflowStep('probe-step', input, async ({ redemption_id }) => ({ redemption_id }));

    await expect(step({ redemption_id: id }, context())).resolves.toEqual({ redemption_id: id });
  });

  it.each(Object.values(WORKFLOW_ERRORS))('fails the task under %s, the name the state machine catches', async (name) => {
    const step = workflowStep('probe-step', input, async () => {
      throw new WorkflowStepError(name, 'refused');
    });

    await expect(step({ redemption_id: '6f1c2a9e-0b7d-4c1e-9a43-2d5e8b7f0c11' }, context())).rejects.toMatchObject({ name });
  });

  it('flushes the metrics the step recorded, when it fails too', async () => {
    // Prepare
    const publish = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const step = workflowStep('probe-step', input, async () => {
      metrics.addMetric('Probe', MetricUnit.Count, 1);
      throw new Error('boom');
    });

    // Act
    await step({ redemption_id: '6f1c2a9e-0b7d-4c1e-9a43-2d5e8b7f0c11' }, context()).catch(() => undefined);

    // Assess
    expect(publish).toHaveBeenCalledOnce();
    publish.mockRestore();
    metrics.clearMetrics();
  });
});
