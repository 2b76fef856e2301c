import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IVpc, SubnetType } from 'aws-cdk-lib/aws-ec2';
import {
  AuroraPostgresEngineVersion,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
} from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

export interface DatabaseProps {
  vpc: IVpc;
  config: StageConfig;
}

/**
 * Aurora Serverless v2 PostgreSQL 17 (local development runs PostgreSQL 17 too), reached only
 * through the RDS Data API with credentials kept in Secrets Manager. Storage is encrypted and
 * backed up; with stage=prod it is also protected from deletion and snapshotted if removed.
 */
export class Database extends Construct {
  readonly cluster: DatabaseCluster;
  readonly secret: ISecret;
  readonly name = 'tokenstocks';

  constructor(scope: Construct, id: string, { vpc, config }: DatabaseProps) {
    super(scope, id);
    const { database } = config;
    this.cluster = new DatabaseCluster(this, 'Cluster', {
      engine: DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_17_9 }),
      writer: ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: database.minCapacity,
      serverlessV2MaxCapacity: database.maxCapacity,
      serverlessV2AutoPauseDuration: database.autoPauseAfter,
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      credentials: Credentials.fromGeneratedSecret('tokenstocks_admin'),
      defaultDatabaseName: this.name,
      enableDataApi: true,
      storageEncrypted: true,
      backup: { retention: database.backupRetention },
      deletionProtection: config.production,
      removalPolicy: config.production ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    });
    if (this.cluster.secret === undefined) throw new Error('the cluster was created without a credentials secret');
    this.secret = this.cluster.secret;

    const cluster = Validations.of(this.cluster);
    cluster.acknowledge({
      id: 'AwsSolutions-RDS6',
      reason: 'No database user signs in with IAM: the functions use the Data API, which authenticates with the Secrets Manager secret.',
    });
    cluster.acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'Nothing connects to the port: clients use the Data API over HTTPS, and the cluster sits in isolated subnets whose security group admits no one.',
    });
    if (!config.production) {
      cluster.acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: 'Deletion protection is on for stage=prod; other stages are disposable and must be deletable.',
      });
    }
    // The generated secret is a child of the cluster construct.
    cluster.acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation needs a rotation Lambda inside the VPC with a route to Secrets Manager (an interface endpoint or NAT, both billed by the hour); not bought yet. Only the Data API reads the secret.',
    });
  }
}
