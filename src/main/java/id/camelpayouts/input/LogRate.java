package id.camelpayouts.input;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most one log line per kind of event per interval, the events left out counted into the next
 * line: what a caller can repeat at will (a refused API request) cannot fill the disk or bury
 * every other line, and the log still says how many there were. Log4j's BurstFilter would drop
 * lines without counting them, and a host embedding the gateway keeps its logging configuration
 * its own; hence this, in the code that logs.
 */
public final class LogRate {

    /** Kinds kept apart at most; beyond them (never with the fixed kinds used) they share one. */
    static final int MAX_KINDS = 64;
    private static final String OTHER = "(other)";

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LogRate(Duration interval) {
        this(interval, System::nanoTime);
    }

    LogRate(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    private static final class Window {
        long lastLine;
        boolean logged;
        long leftOut;
    }

    /**
     * Whether an event of {@code kind} is logged now: -1 to leave it out (counted), else how many
     * were left out since the last line of its kind (0 for the first).
     */
    public long admit(String kind) {
        String key = kind == null ? OTHER : kind;
        Window window = windows.get(key);
        if (window == null) {
            window = windows.size() >= MAX_KINDS ? windows.computeIfAbsent(OTHER, k -> new Window())
                    : windows.computeIfAbsent(key, k -> new Window());
        }
        long now = nanoClock.getAsLong();
        synchronized (window) {
            if (window.logged && now - window.lastLine < intervalNanos) {
                window.leftOut++;
                return -1;
            }
            long leftOut = window.leftOut;
            window.logged = true;
            window.lastLine = now;
            window.leftOut = 0;
            return leftOut;
        }
    }

    /**
     * {@link #admit} as the end of a log line: null to leave the event out, "" for the first of its
     * kind, else {@code " (and N more of this kind since the last line)"}.
     */
    public String suffix(String kind) {
        long leftOut = admit(kind);
        return leftOut < 0 ? null : leftOut == 0 ? "" : " (and " + leftOut + " more of this kind since the last line)";
    }
}
