/**
 * Where `cli dev` serves unless told otherwise, and what counts as this machine: apart from the
 * emulator (cli/local/index.ts), so that the command's options and `cli invoke` can name them
 * without loading it.
 */
export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_REGION = 'us-east-1';

/**
 * 127.0.0.0/8, ::1, localhost and its subdomains (RFC 6761 reserves `*.localhost` for loopback;
 * the URL parser lowercases the name): a server on this machine. `cli dev` signs calls to such
 * a store with dummy credentials; `cli invoke` explains a 403 from such an API as the local stack's.
 */
export function isLoopbackEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
