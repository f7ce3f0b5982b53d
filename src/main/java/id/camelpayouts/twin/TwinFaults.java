package id.camelpayouts.twin;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which fault, if any, the next call to an operation suffers: faults queued for one call each
 * (for tests that need a precise failure), then faults drawn at a configured rate.
 */
public final class TwinFaults {

    private final Map<String, Queue<TwinFault>> queued = new ConcurrentHashMap<>();
    private volatile double rate;
    private volatile List<TwinFault> drawnFrom = List.of();
    private volatile long addedLatencyMillis;

    /** The next call of {@code operation} (e.g. "transfersandbox") suffers {@code fault}. */
    public void next(String operation, TwinFault fault) {
        queued.computeIfAbsent(operation, any -> new ConcurrentLinkedQueue<>()).add(fault);
    }

    /** Every call suffers one of {@code faults} with probability {@code rate} (0 turns it off). */
    public void random(double rate, List<TwinFault> faults) {
        this.drawnFrom = List.copyOf(faults);
        this.rate = faults.isEmpty() ? 0 : rate;
    }

    /**
     * Every answer waits this much longer than the twin's configured latency (zero turns it off):
     * a test that acts amid a run slows the run while it acts, however slow its machine.
     */
    public void addLatency(long millis) {
        addedLatencyMillis = Math.max(0, millis);
    }

    long addedLatencyMillis() {
        return addedLatencyMillis;
    }

    public void clear() {
        queued.clear();
        rate = 0;
        addedLatencyMillis = 0;
    }

    TwinFault draw(String operation) {
        Queue<TwinFault> queue = queued.get(operation);
        TwinFault fault = queue == null ? null : queue.poll();
        if (fault != null) {
            return fault;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (rate > 0 && random.nextDouble() < rate) {
            return drawnFrom.get(random.nextInt(drawnFrom.size()));
        }
        return null;
    }
}
