// The server secret for the auth plugin's files: it lives in src/secret.ts, below api/, because
// createParts builds the asset signer from it too.
export * from '../../secret.ts';
