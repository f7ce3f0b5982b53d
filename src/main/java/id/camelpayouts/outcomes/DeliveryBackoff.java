package id.camelpayouts.outcomes;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RetryBackoff} per outcome channel, so that a failing receiver (a webhook that is
 * down) is tried less often while the other channels go on at full speed.
 */
public class DeliveryBackoff {

    private final Duration first;
    private final Duration max;
    private final Clock clock;
    private final Map<String, RetryBackoff> channels = new ConcurrentHashMap<>();

    public DeliveryBackoff(Duration first, Duration max, Clock clock) {
        this.first = first;
        this.max = max;
        this.clock = clock;
    }

    public boolean ready(String channel) {
        return of(channel).ready();
    }

    public void failed(String channel) {
        of(channel).failed();
    }

    public void succeeded(String channel) {
        of(channel).succeeded();
    }

    public Duration currentWait(String channel) {
        return of(channel).currentWait();
    }

    private RetryBackoff of(String channel) {
        return channels.computeIfAbsent(channel, name -> new RetryBackoff(first, max, clock));
    }
}
