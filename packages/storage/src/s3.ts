import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertSafeKey, type AssetStorage } from './storage.js';

export interface S3StorageOptions {
  /** e.g. http://127.0.0.1:9000 (MinIO) or https://cos.ap-beijing.myqcloud.com */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`; MinIO needs it */
  forcePathStyle?: boolean;
}

const isNotFound = (err: unknown): boolean => {
  if (typeof err !== 'object' || err === null) return false;
  const status =
    '$metadata' in err &&
    typeof err.$metadata === 'object' &&
    err.$metadata !== null &&
    'httpStatusCode' in err.$metadata
      ? err.$metadata.httpStatusCode
      : undefined;
  const name = 'name' in err ? err.name : undefined;
  return status === 404 || name === 'NoSuchKey' || name === 'NotFound';
};

/** Asset bytes in any S3-compatible object store (AWS, MinIO, OSS and COS in S3 mode). */
export class S3Storage implements AssetStorage {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(opts: S3StorageOptions) {
    this.bucket = opts.bucket;
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region,
      forcePathStyle: opts.forcePathStyle ?? false,
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      // The SDK's default CRC32 checksums (and aws-chunked bodies) are not
      // understood by many S3-compatible stores; send them only when S3 requires.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: body.length,
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    assertSafeKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!res.Body) return Buffer.alloc(0);
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async stream(key: string): Promise<Readable | null> {
    assertSafeKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (res.Body instanceof Readable) return res.Body;
      // only non-Node runtimes give a web stream; keep the contract anyway
      return Readable.from(Buffer.from(res.Body ? await res.Body.transformToByteArray() : []));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      // S3 answers 204 for a missing key, some compatible stores 404
      if (!isNotFound(err)) throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    assertSafeKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Closes the client's keep-alive sockets (tests, graceful shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}
