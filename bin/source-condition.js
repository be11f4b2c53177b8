// Module resolution hook (see launch.js): resolves packages with the "@emart/source" export condition,
// which points @emart/numaflow at its TypeScript sources.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, '@emart/source'] });
}
