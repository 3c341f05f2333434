/**
 * Collects failed expectations instead of stopping at the first, so one run shows them all.
 * No imports: it is bundled into every runtime's suite and used by the Node driver alike.
 */
export function recorder() {
  const failures = [];
  let checks = 0;
  return {
    failures,
    get checks() {
      return checks;
    },
    /** @param {boolean} condition @param {string} what */
    expect(condition, what) {
      checks += 1;
      if (!condition) failures.push(what);
    },
  };
}
