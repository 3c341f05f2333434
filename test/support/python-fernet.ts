/**
 * Python's `cryptography` Fernet, called the way workos-python's session helpers call it:
 * `Fernet(cookie_password)` on the password as given, `json.dumps` of the session dict.
 * Spawns `python3`; `pythonReady` is false (and the reason printed) when it or `cryptography`
 * is missing, for tests to skip on.
 */
import { spawnSync } from 'node:child_process';

const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' });

/** Whether `python3` with `cryptography` can be run here. */
export const pythonReady = probe.status === 0;
if (!pythonReady) {
  console.warn(`Skipping Fernet/Python interop: python3 with cryptography is not available (${probe.error?.message ?? probe.stderr.trim()})`);
}

// workos-python's seal_data / unseal_data, in substance (src/workos/session.py).
const PYTHON = `
import json, sys
from cryptography.fernet import Fernet
req = json.load(sys.stdin)
f = Fernet(req["key"])
if req["op"] == "seal":
    out = f.encrypt(json.dumps(req["data"]).encode()).decode("utf-8")
else:
    kwargs = {"ttl": req["ttl"]} if req.get("ttl") else {}
    out = json.loads(f.decrypt(req["token"].encode("utf-8"), **kwargs).decode())
print(json.dumps({"out": out}))
`;

/** Runs one seal or unseal in Python; throws with Python's stderr when it fails. */
export function python(request: { op: 'seal'; key: string; data: unknown } | { op: 'unseal'; key: string; token: string; ttl?: number }): unknown {
  const run = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify(request), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { out: unknown }).out;
}
