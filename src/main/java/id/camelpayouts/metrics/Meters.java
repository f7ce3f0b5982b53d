package id.camelpayouts.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * The payouts' meters on one Micrometer registry (names as Prometheus shows them in the comments).
 * Only {@link PayoutMetrics} touches Micrometer, through this class, and only once a registry was
 * found. Histograms have fixed buckets (service-level objectives), so a series costs the same
 * whatever the traffic; every label comes from a short fixed list.
 */
final class Meters {

    /** The name Camel's micrometer component looks its registry up by; else the only registry there is. */
    private static final String REGISTRY_NAME = "metricsRegistry";

    /** A provider call's time: from 25 ms (loopback) to a minute (beyond any configured timeout). */
    private static final Duration[] CALL_BUCKETS = durations("25ms", "50ms", "100ms", "250ms", "500ms", "1s",
            "2500ms", "5s", "10s", "30s", "60s");
    /** Intake to final: seconds (Transfer Online) to days (waiting for callbacks, windows, review). */
    private static final Duration[] FINAL_BUCKETS = durations("1s", "5s", "15s", "30s", "1m", "2m", "5m", "15m",
            "30m", "1h", "3h", "6h", "12h", "24h", "48h");

    private final MeterRegistry registry;
    private final String contextName;
    private final Map<String, Map<String, Counter>> callbackCounters = new ConcurrentHashMap<>();
    // Looked up at every final status and provider call (a registration built and looked up each
    // time was about 4% of a payout worker's CPU under a dropped file, issue 17).
    private final ByThreeLabels<FinalMeters> finalMeters = new ByThreeLabels<>(this::finalMeters);
    private final ByThreeLabels<Timer> callTimers = new ByThreeLabels<>(this::callTimer);

    private Meters(MeterRegistry registry, String contextName) {
        this.registry = registry;
        this.contextName = contextName;
    }

    /** The context's registry, or null when the host has none (metrics off). */
    static Meters of(CamelContext context) {
        MeterRegistry registry = registry(context);
        return registry == null ? null : new Meters(registry, context.getName());
    }

    /** The context's registry, or null when the host has none. */
    static MeterRegistry registry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(REGISTRY_NAME, MeterRegistry.class);
        return registry != null ? registry : context.getRegistry().findSingleByType(MeterRegistry.class);
    }

    /**
     * The counters alerts look at start at 0, so that a first conflict or refusal shows as an
     * increase (Prometheus' increase() cannot see a series that appears already at 1).
     */
    void startAtZero(List<String> providers, List<String> callbackResults, List<String> intakeRefusals) {
        for (String provider : providers) {
            for (String result : callbackResults) {
                callbacks(provider, result);
            }
            conflicts(provider);
            callbacksRefused(provider);
        }
        for (String kind : intakeRefusals) {
            instructionsRefused(kind);
        }
    }

    /** payouts_total{provider,method,status} and payouts_amount_rupiah_total, time_to_final. */
    void finalStatus(String provider, String method, String status, long amount, Duration sinceIntake) {
        FinalMeters meters = finalMeters.get(provider, method, status);
        meters.payouts.increment();
        meters.rupiah.increment(amount);
        if (sinceIntake != null) {
            meters.timeToFinal.record(sinceIntake);
        }
    }

    /** The three meters of a final status, made once per label set. */
    private record FinalMeters(Counter payouts, Counter rupiah, Timer timeToFinal) {
    }

    private FinalMeters finalMeters(String provider, String method, String status) {
        return new FinalMeters(
                Counter.builder("payouts").description("payouts that reached a final status (SUCCEEDED, FAILED,"
                        + " REJECTED)").tags("provider", provider, "method", method, "status", status)
                        .register(registry),
                Counter.builder("payouts.amount.rupiah").description("rupiah of the payouts that reached a final"
                        + " status, by status (SUCCEEDED: paid out)").tags("provider", provider, "method", method,
                                "status", status).register(registry),
                Timer.builder("payouts.time.to.final").description("time from a payout's intake to its final status")
                        .tags("provider", provider, "method", method, "status", status)
                        .serviceLevelObjectives(FINAL_BUCKETS).register(registry));
    }

    /** payouts_provider_call_seconds{provider,operation,outcome}. */
    void providerCall(String provider, String operation, String outcome, Duration took) {
        callTimers.get(provider, operation, outcome).record(took);
    }

    private Timer callTimer(String provider, String operation, String outcome) {
        return Timer.builder("payouts.provider.call").description("calls to the providers' APIs, by operation and"
                + " class of outcome (success, declined, unknown, transport_error)")
                .tags("provider", provider, "operation", operation, "outcome", outcome)
                .serviceLevelObjectives(CALL_BUCKETS).register(registry);
    }

    /** payouts_callbacks_total{provider,result}; kept, as every callback counts in one. */
    Counter callbacks(String provider, String result) {
        // looked up at every callback: by the two keys, without making a key or a lambda for the lookup
        Map<String, Counter> byResult = callbackCounters.get(provider);
        Counter counter = byResult == null ? null : byResult.get(result);
        if (counter != null) {
            return counter;
        }
        return callbackCounters.computeIfAbsent(provider, key -> new ConcurrentHashMap<>()).computeIfAbsent(result,
                key -> Counter.builder("payouts.callbacks").description(
                                "provider callbacks and notifications, by result (applied, repeat, refused, conflict)")
                        .tags("provider", provider, "result", result).register(registry));
    }

    /**
     * payouts_callbacks_refused_total{camelContext,provider}: kept for the alerts written on it, with
     * the labels it had (Camel's micrometer component added camelContext).
     */
    Counter callbacksRefused(String provider) {
        return Counter.builder("payouts.callbacks.refused").description("provider callbacks refused (the same count"
                + " as payouts_callbacks_total{result=\"refused\"})").tags("camelContext", contextName, "provider",
                        provider).register(registry);
    }

    /** payouts_conflicts_total{camelContext,provider}: late evidence against a final status. */
    Counter conflicts(String provider) {
        return Counter.builder("payouts.conflicts").description("late evidence against a final status: a person"
                + " must look").tags("camelContext", contextName, "provider", provider).register(registry);
    }

    /** payouts_instructions_refused_total{kind}: instructions refused at intake, never payouts. */
    Counter instructionsRefused(String kind) {
        return Counter.builder("payouts.instructions.refused").description("instructions refused at intake (REJECTED:"
                + " invalid; CONFLICT: a reference reused with other content); never in the ledger")
                .tags("kind", kind).register(registry);
    }

    private static Duration[] durations(String... texts) {
        Duration[] durations = new Duration[texts.length];
        for (int i = 0; i < texts.length; i++) {
            durations[i] = Duration.ofMillis(TimeUtils.toMilliSeconds(texts[i]));
        }
        return durations;
    }

    /** Meters kept by three labels, each from a short fixed list; made on first use. */
    private static final class ByThreeLabels<M> {
        interface Maker<M> {
            M make(String first, String second, String third);
        }

        private record Labels(String first, String second, String third) {
        }

        private final Map<Labels, M> meters = new ConcurrentHashMap<>();
        private final Maker<M> maker;

        ByThreeLabels(Maker<M> maker) {
            this.maker = maker;
        }

        M get(String first, String second, String third) {
            return meters.computeIfAbsent(new Labels(first, second, third),
                    labels -> maker.make(labels.first(), labels.second(), labels.third()));
        }
    }
}
