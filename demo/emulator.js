// Starts WorkOS's own emulator (npm package `workos`) seeded with the people and organizations
// the demo and the integration tests use.
import { createEmulator } from 'workos/emulate';

export const CLIENT_ID = 'client_sealed_session_demo';

const PERMISSIONS = [
  { slug: 'projects:read', name: 'Read projects' },
  { slug: 'projects:write', name: 'Edit projects' },
  { slug: 'billing:manage', name: 'Manage billing' },
  { slug: 'members:invite', name: 'Invite members' },
];

const ROLES = [
  { slug: 'admin', name: 'Admin', permissions: ['projects:read', 'projects:write', 'billing:manage', 'members:invite'] },
  { slug: 'member', name: 'Member', permissions: ['projects:read'] },
];

/**
 * @param {{ port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, apiKey: string, clientId: string,
 *   users: { alice: { id: string, email: string }, bob: { id: string, email: string } },
 *   organizations: { acme: { id: string, name: string }, globex: { id: string, name: string } },
 *   close: () => Promise<void> }>}
 */
export async function startEmulator(options = {}) {
  const emulator = await createEmulator({
    port: options.port ?? 0,
    seed: {
      users: [
        { email: 'alice@acme.test', first_name: 'Alice', last_name: 'Moreau', email_verified: true },
        { email: 'bob@globex.test', first_name: 'Bob', last_name: 'Okafor', email_verified: true },
      ],
      organizations: [{ name: 'Acme Corp' }, { name: 'Globex Industries' }],
      permissions: PERMISSIONS,
      roles: ROLES,
    },
  });
  const api = async (path, init = {}) => {
    const response = await fetch(`${emulator.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`emulator ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  const userByEmail = async (email) => {
    const { data } = await api(`/user_management/users?email=${encodeURIComponent(email)}`);
    return { id: data[0].id, email };
  };
  const orgByName = async (name) => {
    const { data } = await api(`/organizations?limit=100`);
    const org = data.find((entry) => entry.name === name);
    return { id: org.id, name };
  };
  const alice = await userByEmail('alice@acme.test');
  const bob = await userByEmail('bob@globex.test');
  const acme = await orgByName('Acme Corp');
  const globex = await orgByName('Globex Industries');
  const memberships = [
    [alice, acme, 'admin'],
    [alice, globex, 'member'],
    [bob, globex, 'admin'],
  ];
  for (const [user, org, role] of memberships) {
    await api('/user_management/organization_memberships', {
      method: 'POST',
      body: JSON.stringify({ user_id: user.id, organization_id: org.id, role_slug: role }),
    });
  }
  return {
    url: emulator.url,
    port: emulator.port,
    apiKey: emulator.apiKey,
    clientId: CLIENT_ID,
    users: { alice, bob },
    organizations: { acme, globex },
    close: () => emulator.close(),
  };
}
