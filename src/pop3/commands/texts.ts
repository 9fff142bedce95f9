/** Client texts shared by several commands. */
export const PLAINTEXT_DISALLOWED = 'Plaintext authentication is not allowed without TLS (use STLS)';
