// Expected outcomes are data (STYLE.md habit 4): use cases return these, edges map them.

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Failure<E extends string> = {
  readonly ok: false;
  readonly error: E;
  readonly problems: readonly string[];
};
export type Result<T, E extends string> = Ok<T> | Failure<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = <E extends string>(error: E, ...problems: string[]): Failure<E> => ({
  ok: false,
  error,
  problems,
});
