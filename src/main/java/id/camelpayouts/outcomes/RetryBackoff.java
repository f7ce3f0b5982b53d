package id.camelpayouts.outcomes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces out attempts at a receiver that is failing: after each failure the next attempt waits
 * twice as long (from {@code first} up to {@code max}); one success resets it.
 */
public class RetryBackoff {

    private final Duration first;
    private final Duration max;
    private final Clock clock;
    private Duration wait = Duration.ZERO;
    private Instant nextAttempt = Instant.MIN;

    public RetryBackoff(Duration first, Duration max, Clock clock) {
        this.first = first;
        this.max = max;
        this.clock = clock;
    }

    public synchronized boolean ready() {
        return !clock.instant().isBefore(nextAttempt);
    }

    public synchronized void failed() {
        wait = wait.isZero() ? first : (wait.multipliedBy(2).compareTo(max) > 0 ? max : wait.multipliedBy(2));
        nextAttempt = clock.instant().plus(wait);
    }

    public synchronized void succeeded() {
        wait = Duration.ZERO;
        nextAttempt = Instant.MIN;
    }

    public synchronized Duration currentWait() {
        return wait;
    }
}
