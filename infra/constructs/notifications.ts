/** The "report ready" topic: encrypted, TLS only, with an optional e-mail subscription. */
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** Subscribed to the topic (the address confirms by e-mail). @default no subscription */
  readonly email?: string;
  /** @default the AWS managed key of SNS (alias/aws/sns) */
  readonly masterKey?: kms.IKey;
}

export class Notifications extends Construct {
  readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: NotificationsProps = {}) {
    super(scope, id);
    const topic = new sns.Topic(this, 'ReportReady', {
      displayName: 'postmortem-lens: report ready',
      masterKey: props.masterKey ?? kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    if (props.email) topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.topic = topic;
  }
}
