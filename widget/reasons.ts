/** The thumbs-down reason chips, from the zod-free part of the protocol (keeps zod out of the bundle). */
export { DownReasons as downReasons, type DownReason } from '../protocol/reasons.js';
