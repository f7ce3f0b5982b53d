package id.camelpayouts.input;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * The log of something retried while it fails (a write the next interval tries again): the first
 * failure of each kind (its root cause's type) at WARN with its reason on one line, then at most a
 * line per {@code summaryEvery} counting the attempts, and one INFO line when it works again. A
 * disk that stays full for hours then logs a few lines an hour, not a stack trace per attempt;
 * the stack trace is logged at DEBUG only.
 */
public final class LastingFailure {

    private final Logger log;
    private final String subject;
    private final long summaryNanos;
    private final LongSupplier nanoClock;

    private final Set<String> kindsLogged = new HashSet<>();
    private long failures;
    private long failingSince;
    private long lastLine;
    private String lastReason;

    /** {@code subject}: what fails, as the start of a sentence ("Results files"). */
    public LastingFailure(Logger log, String subject, Duration summaryEvery) {
        this(log, subject, summaryEvery, System::nanoTime);
    }

    LastingFailure(Logger log, String subject, Duration summaryEvery, LongSupplier nanoClock) {
        this.log = log;
        this.subject = subject;
        this.summaryNanos = summaryEvery.toNanos();
        this.nanoClock = nanoClock;
    }

    /** An attempt failed (it is retried by whoever calls this). */
    public synchronized void failed(Throwable error) {
        long now = nanoClock.getAsLong();
        Throwable root = rootCause(error);
        String reason = reason(error, root);
        lastReason = reason;
        if (failures++ == 0) {
            failingSince = now;
        }
        if (kindsLogged.add(root.getClass().getName())) {
            lastLine = now;
            log.warn("{} cannot be written (retried until they can; nothing is lost): {}", subject, reason);
        } else if (now - lastLine >= summaryNanos) {
            lastLine = now;
            log.warn("{} still cannot be written: {} failed attempts in {} s (last: {})", subject, failures,
                    (now - failingSince) / 1_000_000_000L, reason);
        }
        if (log.isDebugEnabled()) {
            log.debug(subject + " not written", error);
        }
    }

    /** An attempt worked: if it had been failing, one line says so. */
    public synchronized void succeeded() {
        if (failures == 0) {
            return;
        }
        log.info("{} written again after {} failed attempts in {} s (last: {})", subject, failures,
                (nanoClock.getAsLong() - failingSince) / 1_000_000_000L, lastReason);
        failures = 0;
        kindsLogged.clear();
        lastReason = null;
    }

    /** Whether the last attempt failed. */
    public synchronized boolean failing() {
        return failures > 0;
    }

    /** The failed attempts since the last that worked. */
    public synchronized long failures() {
        return failures;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root;
    }

    /** The failure's message, and its root cause's type and message when that is another exception. */
    private static String reason(Throwable error, Throwable root) {
        String top = error.getClass().getSimpleName() + ": " + error.getMessage();
        return root == error ? top : top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
