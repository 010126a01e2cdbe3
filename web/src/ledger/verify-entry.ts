// One ledger entry checked end to end in the browser with the ledger core's code: the checkpoint note's log
// signature (Ed25519, against the log's vkey), then the entry's inclusion proof against that checkpoint's
// root (RFC 6962). Used by the data-usage page, where a resident checks that a record of their data's use
// is really in the ledger.
import { ApiError, ledgerApi } from '../api/client';
import { ledgerVkey } from '../api/ledger';
import { parseCheckpoint, verifyEntryInclusion } from './merkle';
import { parseVkey, verifyNote } from './note';

export type EntryCheck =
  | { status: 'ok'; size: number; root: string }
  | { status: 'pending' }
  | { status: 'failed'; detail: string };

let vkeyCache: Promise<Awaited<ReturnType<typeof parseVkey>>> | undefined;

function logKey() {
  vkeyCache ??= ledgerVkey().then(parseVkey);
  vkeyCache.catch(() => {
    vkeyCache = undefined;
  });
  return vkeyCache;
}

export async function checkLedgerEntry(index: number): Promise<EntryCheck> {
  try {
    const entry = await ledgerApi.entry(index);
    const signature = verifyNote(entry.checkpoint, [await logKey()]);
    if (!signature.ok) return { status: 'failed', detail: 'checkpoint signature does not verify' };
    const inclusion = verifyEntryInclusion(entry, parseCheckpoint(entry.checkpoint));
    if (!inclusion.ok) return { status: 'failed', detail: `${inclusion.reason}: ${inclusion.detail}` };
    return { status: 'ok', size: entry.treeSize, root: inclusion.root };
  } catch (e) {
    // An entry committed after the latest checkpoint has no proof yet.
    if (e instanceof ApiError && (e.code === 'INDEX_OUT_OF_RANGE' || e.code === 'BAD_RANGE')) {
      return { status: 'pending' };
    }
    return { status: 'failed', detail: e instanceof Error ? e.message : String(e) };
  }
}
