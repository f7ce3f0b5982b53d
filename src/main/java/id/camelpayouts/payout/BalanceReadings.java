package id.camelpayouts.payout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * The providers' balances as GET /api/balance answers them: from a reading at most
 * {@code payouts.balance.max-age} old, so that a script or a console left open cannot hammer the
 * provider's balance endpoint (the file's funds check and the insufficient-funds check use it too,
 * and a provider may throttle the merchant). Concurrent requests for the same provider wait for the
 * one call in flight; a failed reading is not kept (the next request asks again).
 */
public final class BalanceReadings {

    /** A provider's answer, whether it was a balance, and when it was taken. */
    public record Reading(Map<String, Object> answer, boolean succeeded, Instant readAt) {

        public Reading(Map<String, Object> answer, boolean succeeded) {
            this(answer, succeeded, null);
        }
    }

    /** The processor GET /api/balance calls (bound under this name). */
    public static final String READ = "payoutsBalanceReading";
    /** The route that asks a provider (variable {@code provider}) its balance. */
    private static final String PROVIDER_CALL = "direct:api-provider-accounts-balance-read";

    private final Map<String, Reading> kept = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Reading>> inFlight = new ConcurrentHashMap<>();
    private final Duration maxAge;
    private final Clock clock;

    public BalanceReadings(Duration maxAge, Clock clock) {
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The provider's kept reading if fresh, else the call in flight's, else {@code call}'s (made here). */
    public Reading read(String provider, Callable<Reading> call) throws Exception {
        Reading reading = kept.get(provider);
        if (reading != null && !clock.instant().isAfter(reading.readAt().plus(maxAge))) {
            return reading;
        }
        CompletableFuture<Reading> mine = new CompletableFuture<>();
        CompletableFuture<Reading> theirs = inFlight.putIfAbsent(provider, mine);
        if (theirs != null) {
            return await(theirs);
        }
        try {
            Reading answered = call.call();
            Reading stamped = new Reading(answered.answer(), answered.succeeded(), clock.instant());
            if (stamped.succeeded()) {
                kept.put(provider, stamped);
            } else {
                kept.remove(provider);
            }
            mine.complete(stamped);
            return stamped;
        } catch (Exception | Error failed) {
            mine.completeExceptionally(failed);
            throw failed;
        } finally {
            inFlight.remove(provider, mine);
        }
    }

    /**
     * Sets {@code answer}, {@code readingSucceeded} and {@code readAt} (ISO-8601) for the provider in
     * variable {@code provider} (none: Duitku). A provider call runs on an exchange of its own,
     * shared by every request that waits for it; its exception is thrown to each of them.
     */
    public Processor processor() {
        return exchange -> {
            String provider = exchange.getVariable("provider", "duitku", String.class);
            Reading reading = read(provider, () -> callProvider(exchange, provider));
            exchange.setVariable("answer", reading.answer());
            exchange.setVariable("readingSucceeded", reading.succeeded());
            exchange.setVariable("readAt", reading.readAt().toString());
        };
    }

    private volatile ProducerTemplate template;

    @SuppressWarnings("unchecked")
    private Reading callProvider(Exchange request, String provider) throws Exception {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = request.getContext().createProducerTemplate();
                }
            }
        }
        Exchange call = template.send(PROVIDER_CALL, exchange -> exchange.setVariable("provider", provider));
        if (call.getException() != null) {
            throw call.getException();
        }
        return new Reading(call.getVariable("answer", Map.class),
                Boolean.TRUE.equals(call.getVariable("readingSucceeded", Boolean.class)));
    }

    private static Reading await(CompletableFuture<Reading> call) throws Exception {
        try {
            return call.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw failed;
        }
    }
}
