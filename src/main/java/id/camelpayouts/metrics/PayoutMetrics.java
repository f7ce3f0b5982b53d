package id.camelpayouts.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The business metrics a payments team watches and alerts on (README, "Metrics and alerts"), on
 * the Camel context's Micrometer registry: payouts and rupiah by final status, time from intake
 * to final, provider calls by operation and outcome, callbacks by result, conflicts, instructions
 * refused at intake. Bound as {@code payoutsMetrics}: the provider-call and callback routes call
 * it, and the ledger tells it of every payout that reaches a final status, once, after the commit.
 *
 * <p>It never fails what calls it: without a meter registry (a host with metrics off) it records
 * nothing, and an error of the metrics is logged once and ignored. It needs Micrometer's core
 * only, never Prometheus.
 */
public class PayoutMetrics {

    public static final String BEAN = "payoutsMetrics";
    /** The callback routes' counting steps ({@link #callbackCounter}), one per provider. */
    public static final String DUITKU_CALLBACK_COUNTER = "payoutsCountDuitkuCallback";
    public static final String DURIANPAY_NOTIFICATION_COUNTER = "payoutsCountDurianpayNotification";
    /** The provider-call routes' steps around a call: {@link #startCall} and, for Duitku, {@link #duitkuCall}. */
    public static final String START_CALL = "payoutsStartCall";
    public static final String DUITKU_CALL_COUNTER = "payoutsCountDuitkuCall";
    /** The variable a provider call's start is kept in, between {@link #startCall} and its record. */
    static final String CALL_STARTED = "providerCallStarted";
    static final List<String> PROVIDERS = List.of("duitku", "durianpay");
    static final List<String> CALLBACK_RESULTS = List.of("applied", "repeat", "refused", "conflict");
    static final List<String> INTAKE_REFUSALS = List.of("REJECTED", "CONFLICT");

    private static final Logger LOG = LoggerFactory.getLogger(PayoutMetrics.class);

    private volatile Meters meters;
    private volatile ResponseCodeTable duitkuCodes;
    private volatile ResponseCodeTable durianpayCodes;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * Binds the metrics for the routes and hooks them to the ledger. The meter registry is looked
     * up once the context starts (Camel Main binds it late), before any route takes work.
     */
    public static PayoutMetrics bind(CamelContext context, PayoutLedger ledger) throws Exception {
        PayoutMetrics metrics = new PayoutMetrics();
        context.getRegistry().bind(BEAN, metrics);
        context.getRegistry().bind(DUITKU_CALLBACK_COUNTER, metrics.callbackCounter("duitku"));
        context.getRegistry().bind(DURIANPAY_NOTIFICATION_COUNTER, metrics.callbackCounter("durianpay"));
        context.getRegistry().bind(START_CALL, (Processor) metrics::startCall);
        context.getRegistry().bind(DUITKU_CALL_COUNTER, metrics.duitkuCallCounter());
        ledger.whenFinal(metrics::finalStatus);
        context.addStartupListener((started, alreadyStarted) -> metrics.start(started));
        return metrics;
    }

    void start(CamelContext context) {
        duitkuCodes = context.getRegistry().lookupByNameAndType("payoutsDuitkuCodes", ResponseCodeTable.class);
        durianpayCodes = context.getRegistry().lookupByNameAndType("payoutsDurianpayCodes", ResponseCodeTable.class);
        try {
            meters = Meters.of(context);
            if (meters != null) {
                meters.startAtZero(PROVIDERS, CALLBACK_RESULTS, INTAKE_REFUSALS);
            }
        } catch (LinkageError noMicrometer) {
            meters = null; // a host without Micrometer on its class path: nothing to record on
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** From the ledger: a payout reached SUCCEEDED, FAILED or REJECTED (counted once: the transition's compare-and-set). */
    public void finalStatus(Payout payout) {
        Meters on = meters;
        if (on == null) {
            return;
        }
        try {
            Duration sinceIntake = payout.getCreatedAt() == null || payout.getUpdatedAt() == null ? null
                    : Duration.between(payout.getCreatedAt(), payout.getUpdatedAt());
            on.finalStatus(provider(payout.getProvider()), payout.getMethod() == null ? "none" : payout.getMethod(),
                    payout.getStatus(), payout.getInstruction().amount(),
                    sinceIntake == null || sinceIntake.isNegative() ? null : sinceIntake);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Before a provider call: its clock starts. */
    public void startCall(Exchange exchange) {
        exchange.setVariable(CALL_STARTED, System.nanoTime());
    }

    /** After duitku-call: the call, its operation and the class of its answer. */
    public void duitkuCall(@Variable("duitkuOperation") String operation, @Variable("httpStatus") Integer httpStatus,
            @Variable("answer") Map<String, Object> answer, @Variable(CALL_STARTED) Long started) {
        Meters on = meters;
        if (on == null || started == null) {
            return;
        }
        try {
            String counted = ProviderCall.duitkuOperation(operation);
            on.providerCall("duitku", counted, ProviderCall.duitkuOutcome(duitkuCodes, counted, httpStatus, answer),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** {@link #duitkuCall} as a processor (no bean-method lookup per call). */
    Processor duitkuCallCounter() {
        return exchange -> duitkuCall(exchange.getVariable("duitkuOperation", String.class),
                exchange.getVariable("httpStatus", Integer.class), exchange.getVariable("answer", Map.class),
                exchange.getVariable(CALL_STARTED, Long.class));
    }

    /** After durianpay-call-send: the call (its time includes minting the access token when one was needed). */
    public void durianpayCall(@Variable("durianpayPath") String path, @Variable("httpStatus") Integer httpStatus,
            @Variable("answer") Map<String, Object> answer, @Variable(CALL_STARTED) Long started,
            @Variable("payout") Payout payout) {
        Meters on = meters;
        if (on == null || started == null) {
            return;
        }
        try {
            String counted = ProviderCall.durianpayOperation(path);
            on.providerCall("durianpay", counted,
                    ProviderCall.durianpayOutcome(durianpayCodes, counted, httpStatus, answer,
                            payout == null ? null : payout.getReference()),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * A callback or notification answered: {@code applied}, {@code repeat}, {@code refused} or
     * {@code conflict}. A refusal and a conflict also count in payouts_callbacks_refused_total and
     * payouts_conflicts_total.
     */
    public void callback(String provider, String result) {
        Meters on = meters;
        if (on == null || !PROVIDERS.contains(provider) || !CALLBACK_RESULTS.contains(result)) {
            return;
        }
        try {
            on.callbacks(provider, result).increment();
            if ("refused".equals(result)) {
                on.callbacksRefused(provider).increment();
            } else if ("conflict".equals(result)) {
                on.conflicts(provider).increment();
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * A step of the callback routes: counts the callback by its variable {@code callbackResult}
     * ({@link #callback}), as a processor (no bean-method lookup per callback).
     */
    public Processor callbackCounter(String provider) {
        return exchange -> callback(provider, exchange.getVariable("callbackResult", String.class));
    }

    /** An instruction refused at intake (REJECTED: invalid; CONFLICT: its reference was used for another). */
    public void instructionRefused(String kind) {
        Meters on = meters;
        if (on == null || !INTAKE_REFUSALS.contains(kind)) {
            return;
        }
        try {
            on.instructionsRefused(kind).increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private static String provider(String provider) {
        return provider == null ? "none" : PROVIDERS.contains(provider) ? provider : "other";
    }

    private void failed(RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("Payout metrics could not be recorded ({}); payouts go on, metrics may be incomplete", e.toString());
        }
    }
}
