/**
 * The error a call failed with, checked to be of the class the test expects, so that the test
 * can go on to read its fields.
 */
import { expect } from 'vitest';

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error `promise` rejects with; fails the test when it resolves or rejects with anything but a `type`. */
export async function rejectionOf<E>(type: ErrorClass<E>, promise: Promise<unknown>): Promise<E> {
  const error = await promise.then(
    () => new Error('resolved'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** The error `fn` throws; fails the test when it returns or throws anything but a `type`. */
export function thrownBy<E>(type: ErrorClass<E>, fn: () => unknown): E {
  let error: unknown = new Error('returned');
  try {
    fn();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(type);
  return error as E;
}
