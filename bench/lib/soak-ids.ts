/** The Teams app id the soak's bot and its token issuer share (bench/soak.ts, bench/soak-server.ts). */
export const SOAK_APP_ID = '00000000-0000-0000-0000-00000000504b';
