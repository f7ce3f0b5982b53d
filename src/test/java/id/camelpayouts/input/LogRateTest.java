package id.camelpayouts.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LogRateTest {

    final AtomicLong now = new AtomicLong();
    final LogRate rate = new LogRate(Duration.ofSeconds(1), now::get);

    @Test
    void oneLineASecondPerKindCountingTheOthers() {
        assertThat(rate.suffix("wrong key")).isEmpty();
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(900_000); // 1000 in 0.9 s
            assertThat(rate.suffix("wrong key")).isNull();
        }
        assertThat(rate.suffix("no role")).as("another kind has its own second").isEmpty();
        now.addAndGet(100_000_000);
        assertThat(rate.suffix("wrong key")).isEqualTo(" (and 1000 more of this kind since the last line)");
        assertThat(rate.suffix("wrong key")).isNull();
        now.addAndGet(5_000_000_000L);
        assertThat(rate.suffix("wrong key")).isEqualTo(" (and 1 more of this kind since the last line)");
        now.addAndGet(5_000_000_000L);
        assertThat(rate.admit("wrong key")).isZero();
    }

    @Test
    void kindsBeyondTheBoundShareOneLine() {
        for (int i = 0; i < LogRate.MAX_KINDS; i++) {
            assertThat(rate.admit("kind " + i)).isZero();
        }
        assertThat(rate.admit("one more")).isZero();
        assertThat(rate.admit("and another")).as("shares the line of the one before").isEqualTo(-1);
        assertThat(rate.admit(null)).isEqualTo(-1);
    }
}
