import { describe, expect, it } from 'vitest';
import { isBrokenConnection, withRetries } from '../../src/sources/s3/retry.js';
import { isStateKey, isUnderPrefix, parseS3Url, workspaceOfKey } from '../../src/sources/s3/target.js';

describe('S3 targets and keys', () => {
  it('parses s3:// URLs', () => {
    expect(parseS3Url('s3://states')).toEqual({ bucket: 'states', prefix: '' });
    expect(parseS3Url('s3://states/team/a/')).toEqual({ bucket: 'states', prefix: 'team/a/' });
    expect(parseS3Url('s3://')).toBeNull();
    expect(parseS3Url('/tmp/x.tfstate')).toBeNull();
  });

  it('takes state keys and never lock files', () => {
    expect(isStateKey('a/terraform.tfstate')).toBe(true);
    expect(isStateKey('a/terraform.tfstate.backup')).toBe(true);
    expect(isStateKey('a/terraform.tfstate.tflock')).toBe(false);
    expect(isStateKey('a/README.md')).toBe(false);
    expect(isStateKey('path/to/my/key', true)).toBe(true);
    expect(isStateKey('path/to/my/key.tflock', true)).toBe(false);
    expect(isStateKey('folder/', true)).toBe(false);
  });

  it('reads the workspace from env:/<workspace>/ keys or a custom prefix', () => {
    expect(workspaceOfKey('env:/staging/net/terraform.tfstate')).toBe('staging');
    expect(workspaceOfKey('net/terraform.tfstate')).toBe('default');
    expect(workspaceOfKey('ws/prod/app.tfstate', 'ws')).toBe('prod');
    expect(workspaceOfKey('env:/prod/app.tfstate', 'ws')).toBe('default');
  });

  it('counts workspace keys whose key part is under the prefix as under it', () => {
    expect(isUnderPrefix('net/terraform.tfstate', 'net/')).toBe(true);
    expect(isUnderPrefix('env:/dev/net/terraform.tfstate', 'net/')).toBe(true);
    expect(isUnderPrefix('env:/dev/app/terraform.tfstate', 'net/')).toBe(false);
    expect(isUnderPrefix('app/terraform.tfstate', 'net/')).toBe(false);
  });
});

describe('withRetries', () => {
  const broken = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

  it('retries a broken connection with backoff until it works', async () => {
    let calls = 0;
    const started = Date.now();
    const value = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw broken();
        return 'ok';
      },
      { attempts: 3, baseDelayMs: 20 },
      isBrokenConnection,
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40);
  });

  it('gives up after the last attempt and never retries a service answer', async () => {
    let calls = 0;
    await expect(withRetries(async () => (calls++, Promise.reject(broken())), { attempts: 2, baseDelayMs: 1 }, isBrokenConnection)).rejects.toThrow('socket hang up');
    expect(calls).toBe(2);
    calls = 0;
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(withRetries(async () => (calls++, Promise.reject(denied)), { attempts: 5, baseDelayMs: 1 }, isBrokenConnection)).rejects.toBe(denied);
    expect(calls).toBe(1);
  });
});
