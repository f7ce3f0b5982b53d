package id.camelpayouts.ledger;

import java.util.function.Supplier;

/**
 * Which of the ledger's writes must be on disk before the ledger's method returns (README, "How a
 * payout stays safe", "Which writes wait for the disk").
 *
 * Every write is durable unless it is made inside {@link #deferred}: the writes a crash may lose
 * because the gateway re-derives them afterwards (the worker's lease, the rail chosen, an inquiry's
 * answer: asked again; a transfer's outcome: asked by a status inquiry, since the transfer's claim
 * is durable). Durable writes still share their flushes: {@link DurableDataSource}.
 */
public final class Durability {

    private static final ThreadLocal<Boolean> DEFERRED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Durability() {
    }

    /** Runs {@code work}, whose ledger writes may be lost by a crash, without waiting for the disk. */
    public static <T> T deferred(Supplier<T> work) {
        return runAs(Boolean.TRUE, work);
    }

    /** As {@link #deferred(Supplier)}, for work with no result. */
    public static void deferred(Runnable work) {
        deferred(() -> {
            work.run();
            return null;
        });
    }

    private static <T> T runAs(Boolean deferred, Supplier<T> work) {
        Boolean before = DEFERRED.get();
        DEFERRED.set(deferred);
        try {
            return work.get();
        } finally {
            DEFERRED.set(before);
        }
    }

    static boolean isDeferred() {
        return DEFERRED.get();
    }
}
