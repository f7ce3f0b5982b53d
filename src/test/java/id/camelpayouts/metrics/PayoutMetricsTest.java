package id.camelpayouts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.TestClock;
import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.InstructionParser;

/**
 * The metrics on a real ledger: a payout counted once when it becomes final (never again by a
 * transition that lost the race, never while PENDING), with its amount and its time since intake;
 * and nothing recorded, nothing failed, when the host has no meter registry or a broken one.
 */
class PayoutMetricsTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T03:00:00Z"));
    private HikariDataSource dataSource;
    private PayoutLedger ledger;
    private DefaultCamelContext context;

    @BeforeEach
    void openLedger() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:metrics" + DATABASES.incrementAndGet());
        LedgerSchema.apply(dataSource);
        ledger = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24)),
                "metrics-test");
        context = new DefaultCamelContext();
    }

    @AfterEach
    void close() {
        context.stop();
        dataSource.close();
    }

    @Test
    void aPayoutIsCountedOnceWhenFinalWithItsAmountAndItsTimeSinceIntake() throws Exception {
        SimpleMeterRegistry meters = started(new SimpleMeterRegistry());
        Payout payout = claimed("p-1", 250_000);
        Payout staleCopy = ledger.find("p-1");
        clock.advance(Duration.ofSeconds(42));
        ledger.recordInquiry(payout, Map.of("responseCode", "00"));
        assertThat(meters.find("payouts").counters()).as("nothing while PENDING").isEmpty();

        ledger.succeed(payout, Map.of("responseCode", "00"));
        ledger.fail(staleCopy, Map.of(), "a worker that lost the race"); // moves nothing: not counted

        assertThat(meters.get("payouts").tags("provider", "duitku", "method", "ONLINE", "status", "SUCCEEDED")
                .counter().count()).isEqualTo(1);
        assertThat(meters.find("payouts").tag("status", "FAILED").counter()).isNull();
        assertThat(meters.get("payouts.amount.rupiah").tag("status", "SUCCEEDED").counter().count())
                .isEqualTo(250_000);
        Timer toFinal = meters.get("payouts.time.to.final").tag("status", "SUCCEEDED").timer();
        assertThat(toFinal.count()).isEqualTo(1);
        assertThat(toFinal.totalTime(TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void callbacksAndIntakeRefusalsAreCountedWithBoundedLabels() throws Exception {
        SimpleMeterRegistry meters = started(new SimpleMeterRegistry());
        PayoutMetrics metrics = context.getRegistry().lookupByNameAndType(PayoutMetrics.BEAN, PayoutMetrics.class);
        assertThat(meters.get("payouts.conflicts").tag("provider", "durianpay").counter().count())
                .as("at 0 from the start").isZero();

        metrics.callback("duitku", "refused");
        metrics.callback("duitku", "conflict");
        metrics.callback("duitku", "applied");
        metrics.callback("duitku", "made-up");
        metrics.callback("somebody", "applied");
        metrics.instructionRefused("REJECTED");
        metrics.instructionRefused("ACCEPTED");

        assertThat(meters.get("payouts.callbacks").tags("provider", "duitku", "result", "refused").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("payouts.callbacks.refused").tags("camelContext", context.getName(), "provider",
                "duitku").counter().count()).isEqualTo(1);
        assertThat(meters.get("payouts.conflicts").tag("provider", "duitku").counter().count()).isEqualTo(1);
        assertThat(meters.find("payouts.callbacks").counters()).as("2 providers x 4 results, no others").hasSize(8);
        assertThat(meters.get("payouts.instructions.refused").tag("kind", "REJECTED").counter().count()).isEqualTo(1);
        assertThat(meters.find("payouts.instructions.refused").counters()).hasSize(2);
    }

    @Test
    void withoutAMeterRegistryNothingIsRecordedAndNothingFails() throws Exception {
        PayoutMetrics metrics = PayoutMetrics.bind(context, ledger);
        context.start();
        Payout payout = claimed("p-2", 50_000);

        ledger.succeed(payout, Map.of());
        metrics.callback("duitku", "applied");
        metrics.instructionRefused("REJECTED");

        assertThat(ledger.find("p-2").getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** A registry that refuses every meter (e.g. Prometheus refusing a clash of label names): payouts go on. */
    @Test
    void aBrokenRegistryNeverFailsAPayout() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("payouts")) {
                    throw new IllegalArgumentException("refused: " + id.getName());
                }
                return id;
            }
        });
        started(meters);
        Payout payout = claimed("p-3", 50_000);

        ledger.succeed(payout, Map.of());
        context.getRegistry().lookupByNameAndType(PayoutMetrics.BEAN, PayoutMetrics.class).callback("duitku", "repeat");

        assertThat(ledger.find("p-3").getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    private <T extends MeterRegistry> T started(T meters) throws Exception {
        context.getRegistry().bind("metricsRegistry", MeterRegistry.class, meters);
        PayoutMetrics.bind(context, ledger);
        context.start();
        return meters;
    }

    private Payout claimed(String reference, long amount) {
        ledger.submit(new InstructionParser().parse(Map.of("reference", reference, "provider", "duitku", "method",
                "ONLINE", "bankCode", "014", "accountNumber", "8760673566", "amount", amount)).instruction());
        return ledger.claim(reference);
    }
}
