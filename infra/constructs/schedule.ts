/**
 * The weekly full-corpus run: an EventBridge Scheduler schedule that starts the state machine,
 * retried by Scheduler, with a dead-letter queue for the starts that still failed (an alarm
 * watches it, see operations.ts).
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface ScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** A Scheduler expression, evaluated in UTC. @default "cron(0 6 ? * MON *)" (Monday 06:00 UTC) */
  readonly expression?: string;
  /** The execution input. @default { mode: "full" } */
  readonly input?: Record<string, unknown>;
  /** @default true */
  readonly enabled?: boolean;
  /** Scheduler's retries of a failed StartExecution. @default 3 */
  readonly retryAttempts?: number;
  /** How long Scheduler keeps retrying one start. @default 1 hour */
  readonly maxEventAge?: Duration;
}

export class Schedule extends Construct {
  readonly schedule: scheduler.ISchedule;
  /** Starts that failed after Scheduler's retries (e.g. the state machine's role or quota refused them). */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      deadLetterQueue,
      "This queue is itself the dead-letter queue of the schedule's target (EventBridge Scheduler's DeadLetterConfig): a failed start lands here and an alarm pages on it; a queue behind it would never be read.",
      'AwsSolutions-SQS3',
    );
    this.deadLetterQueue = deadLetterQueue;
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'postmortem-lens: full-corpus run (only changed documents cost model calls)',
      schedule: scheduler.ScheduleExpression.expression(props.expression ?? 'cron(0 6 ? * MON *)', TimeZone.ETC_UTC),
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject(props.input ?? { mode: 'full' }),
        retryAttempts: props.retryAttempts ?? 3,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
        deadLetterQueue,
      }),
      enabled: props.enabled ?? true,
    });
  }
}
