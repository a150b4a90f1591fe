/**
 * Where `cli dev` serves unless told otherwise: apart from the emulator (cli/local/index.ts), so
 * that the command's options and `cli invoke` can name them without loading it.
 */
export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_REGION = 'us-east-1';
