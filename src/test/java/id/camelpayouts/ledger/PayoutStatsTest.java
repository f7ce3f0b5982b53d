package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's figures (GET /api/stats): payouts counted and summed by status over the range
 * they were created in, per minute, and the review queue; checked against a known set of payouts.
 */
class PayoutStatsTest {

    static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    HikariDataSource dataSource;
    PayoutLedgerTest.MutableClock clock = new PayoutLedgerTest.MutableClock(T0);
    PayoutLedger ledger;
    PayoutStats stats;

    @BeforeEach
    void openLedger() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:stats" + PayoutQueriesTest.DATABASES.incrementAndGet());
        LedgerSchema.apply(dataSource);
        ledger = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24)),
                "test-instance");
        stats = new PayoutStats(ledger);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void countsAndSumsByStatusInTheRangeAndPerMinute() {
        // 03:00:10 two paid, one failed; 03:02:30 one pending; 03:10 (outside the range) one paid
        clock.advance(Duration.ofSeconds(10));
        submit("s1", 150_000);
        submit("s2", 1_350_000);
        submit("f1", 75_000);
        ledger.succeed(ledger.find("s1"), Map.of("responseCode", "00"));
        ledger.succeed(ledger.find("s2"), Map.of("responseCode", "00"));
        ledger.fail(ledger.find("f1"), Map.of("responseCode", "-510"), "refused");
        clock.advance(Duration.ofSeconds(140));
        submit("p1", 500_000);
        clock.advance(Duration.ofMinutes(7));
        submit("late", 10_000);

        PayoutStats.Figures figures = stats.figures(T0, T0.plus(Duration.ofMinutes(4)), Duration.ofMinutes(1));

        assertThat(figures.counts()).containsEntry("SUCCEEDED", 2L).containsEntry("FAILED", 1L)
                .containsEntry("PENDING", 1L).containsEntry("REJECTED", 0L);
        assertThat(figures.amounts()).containsEntry("SUCCEEDED", 1_500_000L).containsEntry("FAILED", 75_000L)
                .containsEntry("PENDING", 500_000L);
        assertThat(figures.successRate()).isEqualTo(0.6666);
        assertThat(figures.series()).extracting(PayoutStats.Bucket::at).containsExactly(T0,
                T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180));
        assertThat(figures.series().get(0).counts()).containsEntry("SUCCEEDED", 2L).containsEntry("FAILED", 1L);
        assertThat(figures.series().get(1).counts().values()).containsOnly(0L);
        assertThat(figures.series().get(2).counts()).containsEntry("PENDING", 1L).containsEntry("SUCCEEDED", 0L);
        assertThat(stats.figures(T0, T0.plus(Duration.ofHours(1)), null).counts()).containsEntry("SUCCEEDED", 2L)
                .containsEntry("PENDING", 2L);
    }

    @Test
    void noSettledPayoutHasNoSuccessRateAndTheReviewQueueIsTheWholeLedgers() {
        submit("p1", 50_000);
        clock.advance(Duration.ofHours(25));
        assertThat(ledger.flagOverdueForReview()).isEqualTo(1);

        PayoutStats.Figures figures = stats.figures(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)), null);

        assertThat(figures.counts().values()).containsOnly(0L);
        assertThat(figures.successRate()).isNull();
        assertThat(figures.series()).isNull();
        assertThat(figures.reviewRequired()).isEqualTo(1);
        assertThat(figures.conflicts()).isZero();
    }

    private void submit(String reference, long amount) {
        ledger.submit(PayoutQueriesTest.instruction(reference, amount, null));
    }
}
