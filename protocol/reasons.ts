/**
 * Reason chips of a thumbs rating, by code. Zod-free on purpose: the widget imports this file, and
 * importing zod would add ~25 KB gzip to its bundle.
 */
export const DownReasons = ['wrong', 'unhelpful', 'incomplete', 'off_topic', 'rude', 'unsafe'] as const;
export const UpReasons = ['accurate', 'clear', 'friendly', 'fast'] as const;
export type DownReason = (typeof DownReasons)[number];
export type UpReason = (typeof UpReasons)[number];
