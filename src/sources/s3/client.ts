// Connects to S3 with the SDK's default credential chain (environment, shared config and
// --profile, SSO, instance and container roles). The SDK is imported here, on first use, so
// commands that never touch S3 do not pay for loading it.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

export interface S3Connection {
  sdk: S3Sdk;
  client: S3Client;
}

export interface S3ConnectOptions {
  region?: string;
  /** An S3-compatible endpoint (MinIO, Ceph, a local test server). */
  endpoint?: string;
  profile?: string;
  /** Path-style addressing (bucket in the path): default on when an endpoint is given. */
  forcePathStyle?: boolean;
  /** Tries per request, done by the SDK with backoff on throttling and 5xx. */
  maxAttempts?: number;
}

const FALLBACK_REGION = 'us-east-1';

export async function connectS3(options: S3ConnectOptions = {}): Promise<S3Connection> {
  // The SDK warns on every run under Node 20 about its future Node support; the user's
  // terminal is for the scan's output.
  if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const sdk = await import('@aws-sdk/client-s3');
  const config: S3ClientConfig = {
    // A bucket in another region answers with a redirect the client then follows.
    followRegionRedirects: true,
    maxAttempts: options.maxAttempts ?? 5,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  let client = new sdk.S3Client(config);
  if (!options.region) {
    try {
      await client.config.region();
    } catch {
      // No region in the environment or config: any region works to start, redirects do the rest.
      client.destroy();
      client = new sdk.S3Client({ ...config, region: FALLBACK_REGION });
    }
  }
  return { sdk, client };
}
