export interface PgCluster {
  url: string;
  port: number;
  dir: string;
  data: string;
  bin: string;
  stop(): void;
  restart(): void;
}
export function pgBinDir(): string | undefined;
export function ensureDebianPackages(packages: string[], log?: (msg: string) => void): boolean;
export function freePort(): Promise<number>;
export function startPgCluster(opts?: { fsync?: boolean }): Promise<PgCluster>;
