import "server-only";
import type { PGlite } from "@electric-sql/pglite";

/**
 * The query queue behind the embedded server's TCP connections.
 *
 * PGlite is a single PostgreSQL session; pglite-socket multiplexes many client
 * connections onto it message by message and keeps a connection's messages
 * together only while a transaction is open. That is not enough for the
 * extended query protocol (Parse, Bind, Execute … Sync), which node-postgres
 * and Prisma use for every parameterised query: interleaving two connections'
 * exchanges makes PostgreSQL answer "unnamed prepared statement does not
 * exist". This queue also keeps a connection's exchange together until its
 * Sync (and a COPY until CopyDone/CopyFail), and it never stalls after a failed
 * message. It has the same interface as pglite-socket's QueryQueueManager.
 */

type Job = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const COPY_DONE = 0x63; // 'c'
const COPY_FAIL = 0x66; // 'f'
const COPY_IN_RESPONSE = 0x47; // 'G'
// Parse, Bind, Describe, Execute, Close, Flush, CopyData: an exchange is under way.
const EXCHANGE_MESSAGES = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48, 0x64]);

export class ProtocolAwareQueryQueue {
  private queue: Job[] = [];
  private processing = false;
  /** The connection that owns the session until its exchange or transaction ends. */
  private owner: number | null = null;
  private midExchange = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((job) => {
      if (job.handlerId !== handlerId) return true;
      job.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    this.midExchange = false;
    void this.process();
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const pinned = this.owner !== null && (this.midExchange || this.db.isInTransaction());
        const index = pinned ? this.queue.findIndex((job) => job.handlerId === this.owner) : 0;
        if (index === -1) return; // wait for the owner's next message
        const [job] = this.queue.splice(index, 1);
        const type = job.message[0];
        let bytes = 0;
        let copyIn = false;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(job.message, {
              onRawData: (data: Uint8Array) => {
                if (data[0] === COPY_IN_RESPONSE) copyIn = true;
                bytes += data.length;
                job.onData(data);
              },
            }),
          );
        } catch (error) {
          job.reject(error);
          continue;
        }
        this.owner = job.handlerId;
        if (type === SYNC || type === COPY_DONE || type === COPY_FAIL) this.midExchange = false;
        else if (type === QUERY) this.midExchange = copyIn;
        else if (EXCHANGE_MESSAGES.has(type)) this.midExchange = true;
        job.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}
