/** The weekly full-corpus run: an EventBridge Scheduler schedule that starts the state machine. */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** A Scheduler expression, evaluated in UTC. @default "cron(0 6 ? * MON *)" (Monday 06:00 UTC) */
  readonly expression?: string;
  /** The execution input. @default { mode: "full" } */
  readonly input?: Record<string, unknown>;
  /** @default true */
  readonly enabled?: boolean;
}

export class Schedule extends Construct {
  readonly schedule: scheduler.ISchedule;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'postmortem-lens: full-corpus run (only changed documents cost model calls)',
      schedule: scheduler.ScheduleExpression.expression(props.expression ?? 'cron(0 6 ? * MON *)', TimeZone.ETC_UTC),
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject(props.input ?? { mode: 'full' }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
      enabled: props.enabled ?? true,
    });
  }
}
