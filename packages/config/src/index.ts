import envSchema from 'env-schema';
import { Type, type Static } from 'typebox';

/**
 * Typed, validated environment. Every value the platform reads from the
 * environment is declared here; a wrong or missing value stops start-up with
 * a message that names the variable.
 */
const schema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_APP_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_APP_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  DATABASE_REPLICA_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_PREFIX: Type.String({ default: 'yd:', pattern: '^[A-Za-z0-9_:.-]{1,64}$' }),
  REDIS_SENTINELS: Type.Optional(Type.String({ pattern: '^[^,:\\s]+:[0-9]+(,[^,:\\s]+:[0-9]+)*$' })),
  REDIS_SENTINEL_NAME: Type.String({ default: 'yiduan', pattern: '^[A-Za-z0-9._-]+$' }),
  PUBLIC_BASE_DOMAIN: Type.String({
    default: 'localhost',
    pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$',
  }),
  HOST: Type.String({ default: 'localhost', minLength: 1 }),
  PORTAL_PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  API_PORT: Type.Integer({ default: 3001, minimum: 0, maximum: 65535 }),
  CONSOLE_PORT: Type.Integer({ default: 3002, minimum: 0, maximum: 65535 }),
  WORKER_PORT: Type.Integer({ default: 3003, minimum: 0, maximum: 65535 }),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  BOOTSTRAP_OPERATOR_TOKEN: Type.Optional(Type.String({ minLength: 24 })),
  EMBEDDED_PG_PORT: Type.Integer({ default: 54329, minimum: 1, maximum: 65535 }),
  DATA_DIR: Type.String({ default: '.data', minLength: 1 }),
  OUTBOX_MAX_ATTEMPTS: Type.Integer({ default: 8, minimum: 1, maximum: 100 }),
  WARM_CONCURRENCY: Type.Integer({ default: 8, minimum: 0, maximum: 64 }),
  FAN_OUT_CHUNK: Type.Integer({ default: 250, minimum: 1, maximum: 5000 }),
  ASSET_DIR: Type.Optional(Type.String({ minLength: 1 })),
  ASSET_MAX_BYTES: Type.Integer({ default: 10 * 1024 * 1024, minimum: 1024, maximum: 100 * 1024 * 1024 }),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_REGION: Type.String({ default: 'us-east-1', minLength: 1 }),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63 })),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  ACCOUNT_HOST: Type.Optional(Type.String({ pattern: '^[a-z0-9.-]+(:[0-9]+)?$' })),
  SMS_PROVIDER: Type.Union([Type.Literal('log'), Type.Literal('http')], { default: 'log' }),
  SMS_HTTP_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  SMS_HTTP_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  GRAPHQL_PERSISTED_ONLY: Type.Boolean({ default: false }),
  GRAPHQL_OPERATIONS: Type.Optional(Type.String({ minLength: 1 })),
  GRAPHQL_INTROSPECTION: Type.Optional(Type.Boolean()),
  ANALYTICS_RETENTION_DAYS: Type.Integer({ default: 400, minimum: 7, maximum: 3650 }),
  VIDEO_UPLOAD_DIR: Type.Optional(Type.String({ minLength: 1 })),
  VIDEO_WORK_DIR: Type.Optional(Type.String({ minLength: 1 })),
  VIDEO_MAX_BYTES: Type.Integer({ default: 4 * 1024 ** 3, minimum: 1024 * 1024, maximum: 64 * 1024 ** 3 }),
  VIDEO_MAX_SECONDS: Type.Integer({ default: 1800, minimum: 1, maximum: 6 * 3600 }),
});

type Env = Static<typeof schema>;

export type NodeEnv = Env['NODE_ENV'];
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  env: NodeEnv;
  logLevel: LogLevel;
  /** owner connection (migrations); null → embedded PostgreSQL */
  databaseUrl: string | null;
  /** application connection (non-owner role, row-level security applies); null → derived from databaseUrl */
  databaseAppUrl: string | null;
  databaseAppPassword: string;
  databaseReplicaUrl: string | null;
  /** null → in-memory cache (unless Sentinels are configured) */
  redisUrl: string | null;
  /** namespace of every key and channel in Redis (two platforms, or a bench, sharing one server) */
  redisPrefix: string;
  /**
   * Redis behind Sentinel (REDIS_SENTINELS `host:port,…`, REDIS_SENTINEL_NAME): the cache, pub/sub
   * and the beacon buffer connect to the current primary and follow a failover; REDIS_URL, if set,
   * then only gives credentials and the database number
   */
  redisSentinel: { name: string; sentinels: { host: string; port: number }[] } | null;
  publicBaseDomain: string;
  host: string;
  ports: { portal: number; api: number; console: number; worker: number };
  sessionSecret: string;
  bootstrapOperatorToken: string;
  embeddedPgPort: number;
  dataDir: string;
  outboxMaxAttempts: number;
  /** pages the worker re-renders at once after an invalidation (warm pages, docs/faces-cache.md); 0: none */
  warmConcurrency: number;
  /** faces a push places per worker transaction (one outbox event each): a province's tree in one by default */
  fanOutChunk: number;
  /** where uploaded images go: a local folder by default, S3-compatible when S3_* are set */
  assets:
    | { kind: 'local'; dir: string; maxBytes: number }
    | {
        kind: 's3';
        endpoint: string;
        region: string;
        bucket: string;
        accessKeyId: string;
        secretAccessKey: string;
        maxBytes: number;
      };
  /** the central sign-in host of citizen accounts (host[:port]); every face redirects there to sign in */
  accountHost: string;
  /** how one-time codes leave: written to the log (development) or posted to an SMS gateway */
  sms: { kind: 'log' } | { kind: 'http'; url: string; token: string };
  /** production option: the API answers only persisted (pre-registered) queries */
  graphqlPersistedOnly: boolean;
  /**
   * the operation manifest (JSON, `{ operations: { sha256: text } }`, written by the console's
   * build) the API answers in persisted-only mode; null: `pnpm start` uses the console's own
   */
  graphqlOperations: string | null;
  /**
   * whether the API describes its schema: introspection (`__schema`, `__type`) and "Did you mean …"
   * suggestions in errors. Default: on outside production, off in production
   */
  graphqlIntrospection: boolean;
  /** days of raw analytics events kept before their daily partitions are dropped */
  analyticsRetentionDays: number;
  /**
   * short video (docs/video.md): resumable uploads land in uploadDir (shared by the API and the
   * worker), the worker transcodes in workDir and publishes renditions into the asset store;
   * maxBytes / maxSeconds are the defaults of the per-tenant limits
   */
  video: { uploadDir: string; workDir: string; maxBytes: number; maxSeconds: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    detail: string,
  ) {
    super(`Configuration error: ${detail}`);
    this.name = 'ConfigError';
  }
}

// Development defaults are deliberately recognisable so that production refuses them.
const DEV_SECRETS = {
  DATABASE_APP_PASSWORD: 'yiduan-app-dev-password',
  SESSION_SECRET: 'dev-session-secret-change-me-0123456789abcdef',
  BOOTSTRAP_OPERATOR_TOKEN: 'dev-operator-token-change-me',
} as const;

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: string };
}

function describe(err: unknown): ConfigError {
  const errors = (err as { errors?: AjvLikeError[] }).errors ?? [];
  const parts: string[] = [];
  const vars: string[] = [];
  for (const e of errors) {
    const name = e.params?.missingProperty ?? e.instancePath?.replace(/^\//, '') ?? '?';
    if (!name || vars.includes(name)) continue;
    vars.push(name);
    parts.push(`${name} ${e.message ?? 'is invalid'}`);
  }
  if (parts.length === 0) return new ConfigError([], err instanceof Error ? err.message : String(err));
  return new ConfigError(vars, parts.join('; '));
}

function blank(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

function smsSender(env: Env): Config['sms'] {
  if (env.SMS_PROVIDER === 'log') {
    if (env.NODE_ENV === 'production')
      throw new ConfigError(
        ['SMS_PROVIDER'],
        'SMS_PROVIDER=log writes sign-in codes to the log; production needs a real sender (http)',
      );
    return { kind: 'log' };
  }
  const missing = (['SMS_HTTP_URL', 'SMS_HTTP_TOKEN'] as const).filter((n) => env[n] === undefined);
  if (missing.length) throw new ConfigError([...missing], `${missing.join(', ')} must be set when SMS_PROVIDER=http`);
  return { kind: 'http', url: env.SMS_HTTP_URL!, token: env.SMS_HTTP_TOKEN! };
}

function assetStorage(env: Env): Config['assets'] {
  const s3 = [env.S3_ENDPOINT, env.S3_BUCKET, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY];
  if (s3.every((v) => v === undefined))
    return { kind: 'local', dir: env.ASSET_DIR ?? `${env.DATA_DIR}/assets`, maxBytes: env.ASSET_MAX_BYTES };
  const names = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];
  const missing = names.filter((_, i) => s3[i] === undefined);
  if (missing.length)
    throw new ConfigError(missing, `${missing.join(', ')} must be set together with the other S3_* variables`);
  return {
    kind: 's3',
    endpoint: env.S3_ENDPOINT!,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET!,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    maxBytes: env.ASSET_MAX_BYTES,
  };
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, so `FOO= pnpm start` behaves like no FOO.
  const data: Record<string, string> = {};
  for (const key of Object.keys(schema.properties)) {
    const v = blank(source[key]);
    if (v !== undefined) data[key] = v;
  }
  let env: Env;
  try {
    env = envSchema<Env>({ schema, data, env: false, dotenv: false });
  } catch (err) {
    throw describe(err);
  }
  const production = env.NODE_ENV === 'production';
  const secret = (name: keyof typeof DEV_SECRETS): string => {
    const value = env[name];
    if (value !== undefined) {
      if (production && value === DEV_SECRETS[name]) {
        throw new ConfigError([name], `${name} must not use the development default in production`);
      }
      return value;
    }
    if (production) throw new ConfigError([name], `${name} is required in production`);
    return DEV_SECRETS[name];
  };
  if (production && env.DATABASE_URL === undefined && env.DATABASE_APP_URL === undefined) {
    throw new ConfigError(
      ['DATABASE_URL'],
      'DATABASE_URL is required in production (embedded PostgreSQL is for development)',
    );
  }
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL as LogLevel,
    databaseUrl: env.DATABASE_URL ?? null,
    databaseAppUrl: env.DATABASE_APP_URL ?? null,
    databaseAppPassword: secret('DATABASE_APP_PASSWORD'),
    databaseReplicaUrl: env.DATABASE_REPLICA_URL ?? null,
    redisUrl: env.REDIS_URL ?? null,
    redisPrefix: env.REDIS_PREFIX,
    redisSentinel: env.REDIS_SENTINELS
      ? {
          name: env.REDIS_SENTINEL_NAME,
          sentinels: env.REDIS_SENTINELS.split(',').map((hp) => {
            const at = hp.lastIndexOf(':');
            return { host: hp.slice(0, at), port: Number(hp.slice(at + 1)) };
          }),
        }
      : null,
    publicBaseDomain: env.PUBLIC_BASE_DOMAIN,
    host: env.HOST,
    ports: { portal: env.PORTAL_PORT, api: env.API_PORT, console: env.CONSOLE_PORT, worker: env.WORKER_PORT },
    sessionSecret: secret('SESSION_SECRET'),
    bootstrapOperatorToken: secret('BOOTSTRAP_OPERATOR_TOKEN'),
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    dataDir: env.DATA_DIR,
    outboxMaxAttempts: env.OUTBOX_MAX_ATTEMPTS,
    warmConcurrency: env.WARM_CONCURRENCY,
    fanOutChunk: env.FAN_OUT_CHUNK,
    assets: assetStorage(env),
    accountHost: env.ACCOUNT_HOST ?? `account.${env.PUBLIC_BASE_DOMAIN}${production ? '' : `:${env.PORTAL_PORT}`}`,
    sms: smsSender(env),
    graphqlPersistedOnly: env.GRAPHQL_PERSISTED_ONLY,
    graphqlOperations: env.GRAPHQL_OPERATIONS ?? null,
    graphqlIntrospection: env.GRAPHQL_INTROSPECTION ?? !production,
    analyticsRetentionDays: env.ANALYTICS_RETENTION_DAYS,
    video: {
      uploadDir: env.VIDEO_UPLOAD_DIR ?? `${env.DATA_DIR}/video-uploads`,
      workDir: env.VIDEO_WORK_DIR ?? `${env.DATA_DIR}/video-work`,
      maxBytes: env.VIDEO_MAX_BYTES,
      maxSeconds: env.VIDEO_MAX_SECONDS,
    },
  };
}

/** For a process's entry point: the config, or its message on stderr and exit code 2 when the environment is bad. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
