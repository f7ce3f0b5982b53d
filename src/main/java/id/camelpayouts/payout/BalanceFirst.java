package id.camelpayouts.payout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.ledger.Payout;

/**
 * A batch's transfers wait while its provider's balance is being read: a dropped file's balance
 * (routes/gateway/file-drop-payouts.camel.yaml, file-drop-funds) is asked beside the intake of its
 * rows, not before it (issue 17: that call held every row of the file back for a provider's round
 * trip), and the balance shown on the batch must still be the one before any of its money moved.
 * The engine's flows call {@link #await()} (bound as {@code payoutsAwaitBalance}) just before a
 * transfer's claim: nothing to wait for, unless the payout's batch is being read at that moment.
 */
public final class BalanceFirst {

    /** The processor the engine's flows call before a claim. */
    public static final String AWAIT = "payoutsAwaitBalance";
    private static final Logger LOG = LoggerFactory.getLogger(BalanceFirst.class);

    private final Map<String, CountDownLatch> reading = new ConcurrentHashMap<>();
    private final long atMostMillis;

    /** {@code atMost}: how long a transfer waits for a balance that does not come (then it goes). */
    public BalanceFirst(Duration atMost) {
        this.atMostMillis = atMost.toMillis();
    }

    /** The balance for {@code batch} is being read: its transfers wait until {@link #read}. */
    public void reading(String batch) {
        reading.put(batch, new CountDownLatch(1));
    }

    /** The balance for {@code batch} was read (or could not be): its transfers go. */
    public void read(String batch) {
        CountDownLatch latch = reading.remove(batch);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Waits while the balance of the payout's batch (variable {@code payout}) is being read. */
    public Processor await() {
        return exchange -> {
            Payout payout = exchange.getVariable("payout", Payout.class);
            CountDownLatch latch = payout == null || payout.getBatchId() == null ? null
                    : reading.get(payout.getBatchId());
            if (latch != null && !latch.await(atMostMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Batch {}: its balance is still being read after {} ms; its transfers go on",
                        payout.getBatchId(), atMostMillis);
                read(payout.getBatchId());
            }
        };
    }
}
