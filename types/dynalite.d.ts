/** dynalite 4 ships no typings: the programmatic API, from its index.js and readme. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** The LevelDB folder; in memory when omitted. */
    path?: string;
    /** Milliseconds a table stays CREATING / DELETING / UPDATING (500 by default). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    ssl?: boolean;
    key?: string;
    cert?: string;
    ca?: string;
    verbose?: boolean;
    debug?: boolean;
  }

  /** A standard Node.js HTTP server speaking the DynamoDB API; close() also closes the store. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
