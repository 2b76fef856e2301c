import { randomUUID } from 'node:crypto';
import { type Command, parseCommandLine, runCommand, UsageError } from './cli';
import { dataDir } from './data-dir';
import { localIdentityProvider } from './jwt';

const DEFAULT_TTL_SECONDS = 12 * 3600;

const TOKEN: Command = {
  name: 'npm run token',
  usage: `Usage: npm run token -- [--role admin|lp] [--sub <uuid>] [--email <address>] [--email-verified true|false] [--name <name>] [--ttl-seconds <n>]

Prints a bearer token for the local stack and nothing else, signed with the key kept under
DATA_DIR (default .local/; created if missing): run it with the stack's DATA_DIR.

Options:
  --role admin|lp      lp (default), or admin: the token's cognito:groups then holds "admin"
  --sub <uuid>         the caller's user id (default: a new random UUID)
  --email <address>    the email claim (default: <role>-<first 8 characters of sub>@example.com)
  --email-verified true|false
                       the email_verified claim (default true): the stack takes an e-mail only when verified
  --name <name>        the name claim (default: none)
  --ttl-seconds <n>    how long the token is accepted, in seconds (default ${DEFAULT_TTL_SECONDS}, 12 hours)
  -h, --help           print this help

Example:
  ADMIN=$(npm run -s token -- --role admin --sub 11111111-1111-4111-8111-111111111111 --email admin@example.com)
`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `npm run token -- --role admin|lp --sub <uuid> [--email e] [--email-verified b] [--name n] [--ttl-seconds n]`: see TOKEN's usage. */
await runCommand(TOKEN, async () => {
  const values = parseCommandLine(TOKEN, {
    role: { type: 'string', default: 'lp' },
    sub: { type: 'string' },
    email: { type: 'string' },
    'email-verified': { type: 'string', default: 'true' },
    name: { type: 'string' },
    'ttl-seconds': { type: 'string', default: String(DEFAULT_TTL_SECONDS) },
  });
  if (values.role !== 'admin' && values.role !== 'lp') throw new UsageError(`--role must be admin or lp, not "${values.role}"`);
  const sub = values.sub ?? randomUUID();
  if (!UUID.test(sub)) throw new UsageError(`--sub must be a UUID, not "${sub}"`);
  const emailVerified = values['email-verified'];
  if (emailVerified !== 'true' && emailVerified !== 'false') throw new UsageError(`--email-verified must be true or false, not "${emailVerified}"`);
  const ttl = values['ttl-seconds'];
  if (!/^[1-9][0-9]*$/.test(ttl) || !Number.isSafeInteger(Number(ttl))) throw new UsageError(`--ttl-seconds must be a whole number of seconds from 1, not "${ttl}"`);

  const identity = await localIdentityProvider(dataDir());
  const token = await identity.sign(
    {
      sub,
      email: values.email ?? `${values.role}-${sub.slice(0, 8)}@example.com`,
      emailVerified: emailVerified === 'true',
      name: values.name,
      groups: values.role === 'admin' ? ['admin'] : [],
    },
    Number(ttl),
  );
  process.stdout.write(`${token}\n`);
});
