package id.camelpayouts.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import id.camelpayouts.TestClock;

/** GET /api/balance answers from a recent reading: one provider call per max-age, failures not kept. */
class BalanceReadingsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-03T09:00:00Z"));
    private final BalanceReadings readings = new BalanceReadings(Duration.ofSeconds(5), clock);
    private final AtomicInteger calls = new AtomicInteger();

    private BalanceReadings.Reading succeeded() {
        calls.incrementAndGet();
        return new BalanceReadings.Reading(Map.of("responseCode", "00", "balance", calls.get()), true);
    }

    private BalanceReadings.Reading failed() {
        calls.incrementAndGet();
        return new BalanceReadings.Reading(Map.of("responseCode", "-100"), false);
    }

    @Test
    void readsWithinTheMaxAgeShareOneProviderCallAndSayWhenItWasTaken() throws Exception {
        BalanceReadings.Reading first = readings.read("duitku", this::succeeded);
        clock.advance(Duration.ofSeconds(4));
        for (int i = 0; i < 10; i++) {
            assertThat(readings.read("duitku", this::succeeded)).isEqualTo(first);
        }
        assertThat(calls).hasValue(1);
        assertThat(first.readAt()).isEqualTo(Instant.parse("2026-12-03T09:00:00Z"));

        readings.read("durianpay", this::succeeded); // another provider has its own reading
        assertThat(calls).hasValue(2);

        clock.advance(Duration.ofMillis(1001));
        BalanceReadings.Reading later = readings.read("duitku", this::succeeded);
        assertThat(calls).hasValue(3);
        assertThat(later.answer()).containsEntry("balance", 3);
        assertThat(later.readAt()).isEqualTo(Instant.parse("2026-12-03T09:00:05.001Z"));
    }

    @Test
    void aFailedReadingIsNotKept() throws Exception {
        assertThat(readings.read("duitku", this::failed).succeeded()).isFalse();
        assertThatThrownBy(() -> readings.read("duitku", () -> {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        })).isInstanceOf(IOException.class);
        assertThat(readings.read("duitku", this::succeeded).succeeded()).isTrue();
        assertThat(readings.read("duitku", this::succeeded).answer()).containsEntry("balance", 3);
        assertThat(calls).hasValue(3);
    }

    @Test
    void concurrentReadsShareTheCallInFlight() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        List<BalanceReadings.Reading> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread thread = new Thread(() -> {
                try {
                    seen.add(readings.read("duitku", () -> {
                        answer.await(10, TimeUnit.SECONDS);
                        return succeeded();
                    }));
                } catch (Exception unexpected) {
                    throw new IllegalStateException(unexpected);
                }
            });
            threads.add(thread);
            thread.start();
        }
        // every thread waits inside read (the one calling, on the provider; the others, on its call)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.stream().anyMatch(t -> t.getState() != Thread.State.WAITING
                && t.getState() != Thread.State.TIMED_WAITING) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        answer.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(seen).hasSize(8).allMatch(reading -> reading == seen.get(0));
        assertThat(calls).hasValue(1);
    }
}
