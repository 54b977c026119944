/**
 * One LISTEN connection per api process, fanned out to every subscription in it. Events are
 * parsed once; each subscriber gets an async iterator of the events it asked for, with a
 * bounded buffer (a slow client drops its oldest progress events, never blocks the others).
 */
import {
  CHANGES_CHANNEL,
  EVENTS_CHANNEL,
  parseChange,
  parseStatusEvent,
  type Change,
  type StatusEvent,
} from '@rushes/schema/events';
import pg from 'pg';
import type { Logger } from 'pino';

/** An event and a cache shared by every subscriber that resolves it (one query, not one each). */
export interface HubEvent {
  event: StatusEvent;
  /** Event-scoped memo: `shared(key, load)` runs `load` once per event and key. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

type Listener = (event: HubEvent) => void;

/** Hears committed writes (CHANGES_CHANNEL) and whether they are being heard at all. */
export interface ChangeListener {
  change(change: Change): void;
  /** The connection came up (true) or was lost (false): changes in between were not heard. */
  live(live: boolean): void;
}

export const BUFFER_LIMIT = 256;

export class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly changeListeners = new Set<ChangeListener>();
  private client: pg.Client | undefined;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
  ) {}

  /** Connects and LISTENs; reconnects after a lost connection (events in the gap are lost). */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'rushes-api-events',
    });
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) {
        this.changed(parseChange(message.payload));
        return;
      }
      const event = parseStatusEvent(message.payload);
      if (!event) return;
      // Whatever the event tells subscribers about, caches hear of first, so a client reacting
      // to it reads afresh.
      this.changed({ kind: 'productions', ids: [event.productionId] });
      this.publish(event);
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'lost the events connection; reconnecting');
      void client.end().catch(() => {});
      this.client = undefined;
      this.setLive(false);
      if (!this.stopped) setTimeout(() => void this.start().catch((e: unknown) => this.retry(e)), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.client = client;
    this.setLive(true);
  }

  /** Whether notifications are being heard now. */
  get live(): boolean {
    return this.client !== undefined;
  }

  /** Tells `listener` of every change heard, and of the connection coming up and going down, until the returned function is called. */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    listener.live(this.live);
    return () => this.changeListeners.delete(listener);
  }

  private changed(change: Change): void {
    for (const listener of this.changeListeners) listener.change(change);
  }

  private setLive(live: boolean): void {
    for (const listener of this.changeListeners) listener.live(live);
  }

  private retry(error: unknown) {
    this.log.warn({ err: error }, 'could not reconnect the events connection; trying again');
    if (!this.stopped) setTimeout(() => void this.start().catch((e: unknown) => this.retry(e)), 2000);
  }

  publish(event: StatusEvent): void {
    const memo = new Map<string, Promise<unknown>>();
    const hubEvent: HubEvent = {
      event,
      shared: (key, load) => {
        if (!memo.has(key)) memo.set(key, load());
        return memo.get(key) as never;
      },
    };
    for (const listener of this.listeners) listener(hubEvent);
  }

  /** The events `accept` lets through, until the consumer stops iterating. */
  subscribe(accept: (event: StatusEvent) => boolean): AsyncIterableIterator<HubEvent> {
    const buffer: HubEvent[] = [];
    let wake: ((result: IteratorResult<HubEvent>) => void) | undefined;
    let done = false;
    const listener: Listener = (item) => {
      if (done || !accept(item.event)) return;
      if (wake) {
        const resolve = wake;
        wake = undefined;
        resolve({ value: item, done: false });
        return;
      }
      buffer.push(item);
      if (buffer.length > BUFFER_LIMIT) buffer.shift();
    };
    this.listeners.add(listener);
    const finish = (): IteratorResult<HubEvent> => {
      done = true;
      this.listeners.delete(listener);
      wake?.({ value: undefined, done: true });
      wake = undefined;
      return { value: undefined, done: true };
    };
    return {
      next: () =>
        buffer.length > 0
          ? Promise.resolve({ value: buffer.shift()!, done: false })
          : done
            ? Promise.resolve({ value: undefined, done: true })
            : new Promise((resolve) => (wake = resolve)),
      return: () => Promise.resolve(finish()),
      throw: (error) => {
        finish();
        return Promise.reject(error as Error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    this.setLive(false);
    this.changeListeners.clear();
    await this.client?.end().catch(() => {});
  }
}
