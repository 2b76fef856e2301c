import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../shared/http/caller';

export interface IdentityProps {
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

/**
 * Who may call the API: a Cognito user pool whose users admins create (no self sign-up), an
 * `admin` group (the handlers read it from the ID token's `cognito:groups`), and a public client
 * whose ID tokens (audience = the client id) the API's JWT authorizer accepts.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, { removalPolicy, deletionProtection }: IdentityProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // The API moves money: every user proves a second factor, an authenticator app (no SMS to pay for).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection,
      removalPolicy,
    });
    this.userPool.addGroup('AdminGroup', { groupName: ADMIN_GROUP, description: 'May call admin-only routes' });
    this.client = this.userPool.addClient('AppClient', {
      // A browser or mobile app cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });

    const plusPlanNotBought =
      'Threat protection (advanced security) needs the Cognito Plus feature plan, billed per monthly active user; not bought yet. MFA is required instead.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: plusPlanNotBought });
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG8', reason: plusPlanNotBought });
  }
}
