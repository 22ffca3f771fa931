// Options that come as a minimum and a maximum: a minimum above its maximum would silently drop
// everything, so plugins report it from preflight, before any stage runs.

/**
 * One problem per [min, max] key pair whose minimum is larger than its maximum (pairs where
 * either is unset are fine), ending with what that would do, e.g. "every doc would be rejected".
 */
export function boundProblems(opts: Record<string, unknown>, pairs: Array<[string, string]>, consequence: string): string[] | undefined {
  const problems = pairs
    .filter(([min, max]) => typeof opts[min] === "number" && typeof opts[max] === "number" && opts[min] > opts[max])
    .map(([min, max]) => `${min} (${opts[min]}) is larger than ${max} (${opts[max]}): ${consequence}`);
  return problems.length > 0 ? problems : undefined;
}
