package id.camelpayouts.ledger;

import java.util.Map;
import java.util.function.Function;

import org.apache.camel.support.LRUCacheFactory;

/**
 * Final payouts as this gateway last read them, by the key a provider's callback finds them by, so
 * that a repeated callback (most of them: providers deliver again until answered, and after) is
 * answered without a ledger read. Only final payouts are kept: their status, stage, amount, account
 * and provider reference never change again (every change of status is a compare-and-set from
 * PENDING or AWAITING_APPROVAL), so a kept copy is right for every gateway sharing the ledger. The
 * facts a final payout still gains (a conflict, the provider's ids) are written by conditional
 * updates, recorded once whatever copy the writer holds; this gateway forgets its copy when it
 * writes one. Bounded: the least recently used go first.
 */
final class FinalPayouts {

    private final Map<String, Payout> byKey;

    FinalPayouts(int capacity) {
        this.byKey = LRUCacheFactory.newLRUCache(capacity);
    }

    /** A copy (its holder may change it) of the final payout kept under {@code key}, or null. */
    Payout copyOf(String key) {
        Payout kept = key == null ? null : byKey.get(key);
        return kept == null ? null : kept.copy();
    }

    /** {@link #copyOf} the payout kept under {@code key}, else what {@code read} finds by it, kept when final. */
    Payout orRead(String key, Function<String, Payout> read) {
        Payout kept = copyOf(key);
        if (kept != null) {
            return kept;
        }
        Payout found = read.apply(key);
        keepIfFinal(key, found);
        return found;
    }

    /** Keeps a copy of {@code payout} under {@code key} when it is final; anything else is not kept. */
    void keepIfFinal(String key, Payout payout) {
        if (key != null && payout != null && payout.isFinal()) {
            byKey.put(key, payout.copy());
        }
    }

    void forget(String key) {
        if (key != null) {
            byKey.remove(key);
        }
    }

    int size() {
        return byKey.size();
    }
}
