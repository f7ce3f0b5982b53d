package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A callback's lookups keep final payouts (FinalPayouts): a repeat is answered without a ledger read,
 * a payout that may still change is read every time, and what is kept stays bounded. The ledger's
 * reads are counted as the statements it prepares.
 */
class FinalPayoutsTest {

    HikariDataSource dataSource;
    final Queue<String> prepared = new ConcurrentLinkedQueue<>();
    PayoutLedger ledger;

    @BeforeEach
    void openLedger() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:finals" + PayoutLedgerTest.DATABASES.incrementAndGet());
        LedgerSchema.apply(dataSource);
        ledger = new PayoutLedger(noting(dataSource),
                new PayoutLedgerTest.MutableClock(Instant.parse("2026-11-21T03:00:00Z")),
                new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2), List.of(Duration.ofSeconds(2)),
                        Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24)), "test-instance");
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aFinalPayoutIsReadOnceThenAnsweredFromMemoryAsACopy() {
        Payout pending = transferSent("f1", "901");
        long before = readsByProviderReference();
        assertThat(ledger.findByProviderReferenceForCallback("901").getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.findByProviderReferenceForCallback("901").getStatus()).isEqualTo(Payout.PENDING);
        assertThat(readsByProviderReference() - before).as("a PENDING payout is read every time").isEqualTo(2);

        ledger.succeedByCallback(pending, Map.of("responseCode", "00"));
        Payout first = ledger.findByProviderReferenceForCallback("901");
        Payout repeat = ledger.findByProviderReferenceForCallback("901");
        assertThat(readsByProviderReference() - before).as("read once more, when final, then kept").isEqualTo(3);
        assertThat(repeat.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(repeat.getReference()).isEqualTo("f1");
        assertThat(repeat.getProviderReference()).isEqualTo("901");
        assertThat(repeat.getInstruction()).isSameAs(first.getInstruction());

        repeat.changedBy(Payout.OPERATOR, "someone", "a note"); // a holder changes its own copy only
        assertThat(ledger.findByProviderReferenceForCallback("901").actor).isNull();
    }

    @Test
    void aFactWrittenBesideTheFinalStatusIsReadAgain() {
        Payout pending = transferSent("f2", "902");
        ledger.fail(pending, Map.of("responseCode", "01"), "refused");
        long before = readsByProviderReference();
        Payout kept = ledger.findByProviderReferenceForCallback("902");
        assertThat(kept.getConflict()).isNull();

        assertThat(ledger.recordConflict(kept, Map.of("responseCode", "00"), "LATE_SUCCESS", "late")).isTrue();
        Payout after = ledger.findByProviderReferenceForCallback("902");
        assertThat(after.getConflict()).isEqualTo("LATE_SUCCESS");
        assertThat(after.isReviewRequired()).isTrue();
        assertThat(readsByProviderReference() - before).isEqualTo(2);
        assertThat(ledger.recordConflict(after, Map.of("responseCode", "00"), "LATE_SUCCESS", "late again"))
                .as("recorded once").isFalse();
    }

    @Test
    void byOurReferenceAsByTheProvidersAndNeverAnUnknownOne() {
        Payout pending = transferSent("f3", "903");
        ledger.succeedByCallback(pending, Map.of("responseCode", "00"));
        long before = reads("WHERE reference = ?");
        assertThat(ledger.findForCallback("f3").getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.findForCallback("f3").getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.findForCallback("unknown")).isNull();
        assertThat(ledger.findForCallback("unknown")).isNull();
        assertThat(reads("WHERE reference = ?") - before).as("the final payout once, the unknown one each time")
                .isEqualTo(3);
    }

    @Test
    void onlyFinalPayoutsAreKeptAndNoMoreThanTheBound() {
        FinalPayouts finals = new FinalPayouts(3);
        Payout pending = transferSent("f4", "904");
        finals.keepIfFinal("904", pending);
        finals.keepIfFinal("none", null);
        assertThat(finals.size()).isZero();
        assertThat(finals.copyOf("904")).isNull();

        ledger.succeedByCallback(pending, Map.of("responseCode", "00"));
        Payout succeeded = ledger.find("f4");
        for (int i = 0; i < 10; i++) {
            finals.keepIfFinal("key-" + i, succeeded);
        }
        assertThat(finals.size()).isLessThanOrEqualTo(3);
        assertThat(finals.copyOf("key-9")).as("the latest is kept").isNotNull();
        assertThat(finals.copyOf("key-0")).as("the oldest went first").isNull();
    }

    /** A PENDING payout whose transfer was sent, known to the provider by {@code disburseId}. */
    private Payout transferSent(String reference, String disburseId) {
        ledger.submit(PayoutLedgerTest.instruction(reference, 50000));
        Payout worker = ledger.claim(reference);
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", disburseId));
        ledger.claimTransfer(worker);
        return ledger.find(reference);
    }

    private long readsByProviderReference() {
        return reads("WHERE provider_reference = ?");
    }

    /** How often the ledger prepared a select of the payouts ending with {@code condition}. */
    private long reads(String condition) {
        return prepared.stream().filter(sql -> sql.startsWith("SELECT") && sql.endsWith("FROM payouts " + condition))
                .count();
    }

    /** {@code database}, noting the SQL of every statement prepared on its connections. */
    private DataSource noting(DataSource database) {
        InvocationHandler connections = (proxy, method, args) -> {
            Object result = invoke(database, method, args);
            if (!"getConnection".equals(method.getName())) {
                return result;
            }
            Connection connection = (Connection) result;
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (connectionProxy, call, callArgs) -> {
                        if ("prepareStatement".equals(call.getName())) {
                            prepared.add((String) callArgs[0]);
                        }
                        return invoke(connection, call, callArgs);
                    });
        };
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                connections);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
