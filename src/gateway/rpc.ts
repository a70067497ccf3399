// The one typed wrapper around ocpp-rpc (a CommonJS package with loose typings). The rest of
// the gateway sees only these small interfaces.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import ocppRpc from 'ocpp-rpc';

export interface RpcValidator {
  readonly subprotocol: string;
  validate(schemaId: string, params: unknown): boolean;
}

export interface RpcError extends Error {
  readonly rpcErrorCode?: string;
  readonly rpcErrorMessage?: string;
}

export interface RpcHandshake {
  readonly identity: string;
  readonly endpoint: string;
  readonly password: Buffer | undefined;
  readonly remoteAddress: string | undefined;
}

export interface RpcCall {
  readonly messageId: string;
  readonly method: string;
  readonly params: unknown;
}

export interface RpcClientEvents {
  message: [{ message: string; outbound: boolean }];
  badMessage: [{ buffer: Buffer; error: RpcError; response: unknown }];
  strictValidationFailure: [
    { messageId: string; method: string; params: unknown; error: RpcError; outbound: boolean; isCall: boolean },
  ];
  ping: [{ rtt: number }];
  close: [{ code: number; reason: Buffer | string }];
  socketError: [Error];
}

export interface RpcClient {
  readonly identity: string;
  /** What the auth callback passed to accept(). */
  readonly session: Record<string, unknown>;
  handle(method: string, handler: (call: RpcCall) => Promise<unknown>): void;
  call(method: string, params: unknown, options: { callTimeoutMs: number }): Promise<unknown>;
  close(options: { code?: number; reason?: string; force?: boolean; awaitPending?: boolean }): Promise<unknown>;
  on<E extends keyof RpcClientEvents>(event: E, listener: (...args: RpcClientEvents[E]) => void): void;
}

export interface RpcServerOptions {
  readonly protocols: string[];
  readonly strictMode: boolean;
  readonly strictModeValidators: RpcValidator[];
  readonly pingIntervalMs: number;
  readonly deferPingsOnActivity: boolean;
  readonly maxBadMessages: number;
  readonly callTimeoutMs: number;
  readonly wssOptions: { maxPayload: number };
}

export interface RpcServer {
  auth(
    callback: (
      accept: (session?: Record<string, unknown>, protocol?: string) => void,
      reject: (code: number, message: string) => void,
      handshake: RpcHandshake,
    ) => void | Promise<void>,
  ): void;
  readonly handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
  on(event: 'client', listener: (client: RpcClient) => void): void;
  on(event: 'upgradeAborted', listener: (event: { error: Error; identity: string }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(options: { code?: number; reason?: string; force?: boolean; awaitPending?: boolean }): Promise<void>;
}

type OcppRpcModule = {
  RPCServer: new (options: RpcServerOptions) => RpcServer;
  createRPCError: (code: string, message?: string, details?: Record<string, unknown>) => RpcError;
  createValidator: (subprotocol: string, schemas: unknown) => RpcValidator;
  TimeoutError: new (...args: unknown[]) => Error;
  RPCError: new (...args: unknown[]) => Error;
};

const rpc = ocppRpc as unknown as OcppRpcModule;

export const createRpcServer = (options: RpcServerOptions): RpcServer => new rpc.RPCServer(options);
export const createRpcError = rpc.createRPCError;
export const createRpcValidator = rpc.createValidator;
export const isRpcTimeout = (error: unknown): boolean => error instanceof rpc.TimeoutError;
/** A CALLERROR received from the pile, or a local validation error of an outbound call. */
export const isRpcError = (error: unknown): error is RpcError =>
  error instanceof Error && typeof (error as RpcError).rpcErrorCode === 'string';
