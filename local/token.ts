import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { dataDir } from './data-dir';
import { localIdentityProvider } from './jwt';

/**
 * `npm run token -- --role admin|lp --sub <uuid> [--email e] [--email-verified true|false] [--name n]`
 * Prints only a bearer token the local stack accepts. The e-mail is verified unless told otherwise.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'lp' },
    sub: { type: 'string' },
    email: { type: 'string' },
    'email-verified': { type: 'string', default: 'true' },
    name: { type: 'string' },
    'ttl-seconds': { type: 'string', default: String(12 * 3600) },
  },
});

if (values.role !== 'admin' && values.role !== 'lp') {
  console.error('--role must be admin or lp');
  process.exit(2);
}
if (values['email-verified'] !== 'true' && values['email-verified'] !== 'false') {
  console.error('--email-verified must be true or false');
  process.exit(2);
}
const sub = values.sub ?? randomUUID();
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sub)) {
  console.error('--sub must be a UUID');
  process.exit(2);
}
const identity = await localIdentityProvider(dataDir());
const token = await identity.sign(
  {
    sub,
    email: values.email ?? `${values.role}-${sub.slice(0, 8)}@example.com`,
    emailVerified: values['email-verified'] === 'true',
    name: values.name,
    groups: values.role === 'admin' ? ['admin'] : [],
  },
  Number(values['ttl-seconds']),
);
process.stdout.write(`${token}\n`);
