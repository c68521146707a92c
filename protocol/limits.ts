/** Size limits shared by the widget (to refuse early) and the server (to enforce). */
export const Limits = {
  /** Longest visitor message, in characters. */
  messageChars: 4000,
  /** Longest feedback or flag comment, in characters. */
  commentChars: 2000,
  /** Longest client-generated id (uuid or similar). */
  clientIdChars: 64,
  /** Most reason chips on one rating. */
  reasons: 8,
  /** Largest JSON body accepted on widget routes, in bytes. */
  widgetBodyBytes: 16 * 1024,
  /** Largest body accepted on admin routes (knowledge imports), in bytes. */
  adminBodyBytes: 20 * 1024 * 1024,
} as const;
