package id.camelpayouts;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

import id.camelpayouts.ledger.DurableDataSource;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.ProviderPauses;

/**
 * The ledger's gauges on /observe/metrics: payouts_pending, payouts_review_required,
 * payouts_provider_paused{provider} (1 paused, 0 not), read from the ledger when scraped, and the ledger's
 * writes by durability and its flushes (payouts_ledger_writes_total, payouts_ledger_flushes_total). Published once the context has started (the meter registry is
 * Camel Main's); nothing when metrics are off.
 */
final class LedgerMetrics {

    private static final String WRITES = "ledger connections that wrote: durable (on disk before the ledger returned)"
            + " or deferred (a crash may lose it; the gateway re-derives it)";

    private LedgerMetrics() {
    }

    static void publish(CamelContext context, PayoutLedger ledger) {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters == null) {
            return; // metrics disabled
        }
        // The registry can outlive a context (an embedding host restarting it): replace, don't duplicate.
        meters.find("payouts.pending").meters().forEach(meters::remove);
        meters.find("payouts.review.required").meters().forEach(meters::remove);
        meters.find("payouts.provider.paused").meters().forEach(meters::remove);
        meters.find("payouts.ledger.writes").meters().forEach(meters::remove);
        meters.find("payouts.ledger.flushes").meters().forEach(meters::remove);
        DurableDataSource database = ledger.database();
        FunctionCounter.builder("payouts.ledger.writes", database, DurableDataSource::durableWrites)
                .tag("durability", "durable").description(WRITES).register(meters);
        FunctionCounter.builder("payouts.ledger.writes", database, DurableDataSource::deferredWrites)
                .tag("durability", "deferred").description(WRITES).register(meters);
        FunctionCounter.builder("payouts.ledger.flushes", database, DurableDataSource::flushes)
                .description("flushes of the embedded H2 ledger, each shared by the durable writes waiting for it"
                        + " (and made by the outbox before it publishes)")
                .register(meters);
        Gauge.builder("payouts.pending", ledger, l -> l.countWhere("status = 'PENDING'"))
                .description("payouts sent or being sent whose outcome is not final").register(meters);
        Gauge.builder("payouts.review.required", ledger,
                l -> l.countWhere("status = 'PENDING' AND review_required = TRUE"))
                .description("payouts PENDING past payouts.reconcile.review-after: need a person").register(meters);
        ProviderPauses pauses = context.getRegistry().lookupByNameAndType("payoutsProviders", ProviderPauses.class);
        if (pauses != null) {
            for (String provider : pauses.providers()) {
                Gauge.builder("payouts.provider.paused", pauses, p -> p.isPaused(provider) ? 1 : 0).tag("provider", provider)
                        .description("1 while the provider is paused (nothing is sent to it), else 0").register(meters);
            }
        }
    }
}
