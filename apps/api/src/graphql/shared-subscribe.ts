/**
 * graphql-js's `subscribe` for graphql-ws, with each event's result worked out once for all the
 * subscribers it is the same for (issue 22, fan-out): those who asked the same operation with the
 * same variables and hold the same role in the event's production — what the field gates decide
 * by. A status event reaching 1,000 subscribers ran 1,000 executions of the same selection, each
 * through every field's gate; now one per distinct operation and role. Which events a subscriber
 * receives is still its own (the source stream filters by its access, auth/gate.ts), and errors
 * in a result are still presented per subscriber, with its request id (server.ts onNext).
 */
import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { roleIn } from '../auth/access.ts';
import type { Context } from '../context.ts';
import type { HubEvent } from '../events/hub.ts';

const isHubEvent = (value: unknown): value is HubEvent =>
  typeof value === 'object' && value !== null && 'event' in value && 'shared' in value;

/** `source` with each value mapped; `return()` reaches the source at once, even while a `next()` waits. */
function mapped<T, U>(source: AsyncIterator<T>, map: (value: T) => Promise<U>): AsyncGenerator<U, undefined> {
  const done = { value: undefined, done: true } as const;
  const generator: AsyncGenerator<U, undefined> = {
    async next() {
      const result = await source.next();
      return result.done ? done : { value: await map(result.value), done: false };
    },
    async return() {
      await source.return?.();
      return done;
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return generator;
    },
    async [Symbol.asyncDispose]() {
      await source.return?.();
    },
  };
  return generator;
}

export async function sharedSubscribe(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult, undefined> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const operation = `${print(args.document)}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`;
  const { access } = args.contextValue as Context;
  const run = (payload: unknown) => Promise.resolve(execute({ ...args, rootValue: payload }));
  return mapped(source[Symbol.asyncIterator](), (payload) => {
    if (!isHubEvent(payload)) return run(payload);
    const role = roleIn(access, payload.event.productionId) ?? 'none';
    return payload.shared(`result\n${role}\n${operation}`, () => run(payload));
  });
}
