// What the demo asks the identity provider about people and organizations, through its
// management API: the accounts offered on the sign-in page and the organizations a user may
// switch to. Organization names change rarely; they are cached for the life of the process.

/**
 * @typedef {{ id: string, email: string, firstName: string | null, lastName: string | null }} DirectoryUser
 * @typedef {{ id: string, name: string, role: string }} Membership
 */

/**
 * @param {{ baseUrl: string, apiKey: string }} provider
 */
export function createDirectory(provider) {
  /** @type {Map<string, Promise<string>>} */
  const orgNames = new Map();

  /** @param {string} path */
  async function get(path) {
    const response = await fetch(new URL(path, provider.baseUrl), {
      headers: { authorization: `Bearer ${provider.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  /** @param {string} id */
  function organizationName(id) {
    let name = orgNames.get(id);
    if (!name) {
      name = get(`/organizations/${encodeURIComponent(id)}`).then((org) => String(org.name));
      name.catch(() => orgNames.delete(id));
      orgNames.set(id, name);
    }
    return name;
  }

  return {
    /** @returns {Promise<DirectoryUser[]>} */
    async users() {
      const { data } = await get('/user_management/users?limit=20&order=asc');
      return data
        .map((/** @type {Record<string, string | null>} */ user) => ({
          id: String(user.id),
          email: String(user.email),
          firstName: user.first_name ?? null,
          lastName: user.last_name ?? null,
        }))
        .sort((/** @type {DirectoryUser} */ a, /** @type {DirectoryUser} */ b) => a.email.localeCompare(b.email));
    },

    /** @param {string} userId @returns {Promise<Membership[]>} */
    async memberships(userId) {
      const { data } = await get(`/user_management/organization_memberships?user_id=${encodeURIComponent(userId)}&limit=100`);
      const active = data.filter((/** @type {{ status: string }} */ m) => m.status === 'active');
      const list = await Promise.all(
        active.map(async (/** @type {{ organization_id: string, role: { slug: string } }} */ m) => ({
          id: m.organization_id,
          name: await organizationName(m.organization_id),
          role: m.role.slug,
        })),
      );
      return list.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
