package id.camelpayouts.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

/**
 * Group commit for the embedded H2 ledger: a thread that committed calls {@link #await()}, which
 * returns once a flush that started after its commit has finished. One flush runs at a time;
 * whoever waits while it runs is served together by the next, so N workers committing in the same
 * few milliseconds share one or two flushes instead of making N.
 *
 * The flush is H2's {@code CHECKPOINT}: it writes every committed transaction to the database file,
 * what H2 does at each commit with {@code WRITE_DELAY=0}. Written means handed to the operating
 * system, which keeps it when the gateway's process is killed.
 */
final class GroupFlush {

    private final DataSource database;
    private final Object flushing = new Object();
    /** Numbers the commits that asked for a flush, in the order they asked. */
    private final AtomicLong asked = new AtomicLong();
    /** Every commit numbered up to this is on disk. */
    private long flushedUpTo;
    private final LongAdder flushes = new LongAdder();

    GroupFlush(DataSource database) {
        this.database = database;
    }

    /** Whether this connection's user may CHECKPOINT (H2 allows it to admins only). */
    static boolean allowed(Connection db) {
        try (Statement checkpoint = db.createStatement()) {
            checkpoint.execute("CHECKPOINT");
            return true;
        } catch (SQLException notAdmin) {
            return false;
        }
    }

    /** Returns once everything the calling thread committed is on disk. */
    void await() {
        long mine = asked.incrementAndGet();
        synchronized (flushing) {
            if (flushedUpTo >= mine) {
                return; // a flush that started after this commit has finished meanwhile
            }
            long upTo = asked.get(); // every one of these committed before the flush below starts
            try (Connection db = database.getConnection(); Statement checkpoint = db.createStatement()) {
                checkpoint.execute("CHECKPOINT");
            } catch (SQLException e) {
                throw new LedgerException("could not write the ledger to disk", e);
            }
            flushedUpTo = upTo;
            flushes.increment();
        }
    }

    long count() {
        return flushes.sum();
    }
}
