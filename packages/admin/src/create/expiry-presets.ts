/** Expiry choices offered when creating a link; `custom` takes a date from the form. */
export const EXPIRY_PRESETS = [
  { id: 'never', label: 'Never', days: null },
  { id: '1d', label: '1 day', days: 1 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '1y', label: '1 year', days: 365 },
  { id: 'custom', label: 'On a date…', days: null },
] as const;

export type ExpiryPresetId = (typeof EXPIRY_PRESETS)[number]['id'];

/**
 * `expiresAt` in epoch seconds for a choice, or null for none; undefined when a custom date is missing
 * or not in the future. A custom date means the end of that day, local time.
 */
export const expiryOf = (
  preset: ExpiryPresetId,
  customDate: string,
  now: number,
): number | null | undefined => {
  if (preset === 'never') return null;
  if (preset === 'custom') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDate);
    if (!match) return undefined;
    const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59).getTime();
    return end > now ? Math.floor(end / 1000) : undefined;
  }
  const days = EXPIRY_PRESETS.find((p) => p.id === preset)?.days ?? 0;
  return Math.floor(now / 1000) + days * 86_400;
};
