package id.camelpayouts.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check that always answers within its bound: the probe runs on a thread of its own
 * (a pool's connection request or a broker connect can block far longer than a health probe may
 * take), and a probe still hanging from an earlier call is DOWN without starting another. Not a
 * liveness check: an unreachable database is no reason to restart the process, only to stop
 * sending it work. The answer names what failed by its type, never the exception's message
 * (which may hold a URL with a password in it).
 */
abstract class BoundedReadinessCheck extends AbstractHealthCheck {

    private final String what;
    private final Duration timeout;
    // One thread; a queue of one because a probe that has just answered is done before its thread is
    // back in the pool, and the next probe, submitted at once, must wait for it rather than be refused.
    // There is never more than one probe waiting: a call while one is running does not start another.
    private final ThreadPoolExecutor prober = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1), runnable -> {
                Thread thread = new Thread(runnable, "payouts-health-probe");
                thread.setDaemon(true);
                return thread;
            });
    private Future<?> running;

    {
        prober.allowCoreThreadTimeOut(true); // no thread kept while nobody asks
    }

    BoundedReadinessCheck(String id, String what, Duration timeout) {
        super("camel-payouts", id);
        this.what = what;
        this.timeout = timeout;
    }

    /** Succeeds when the resource answers; throws otherwise. */
    protected abstract void probe() throws Exception;

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Future<?> probe;
        synchronized (this) {
            if (running != null && !running.isDone()) {
                builder.down().message(what + " did not answer within " + timeout.toMillis() + " ms");
                return;
            }
            probe = prober.submit(() -> {
                probe();
                return null;
            });
            running = probe;
        }
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            builder.up();
        } catch (TimeoutException late) {
            builder.down().message(what + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException failed) {
            builder.down().message(what + " unreachable (" + failed.getCause().getClass().getSimpleName() + ")");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            builder.down().message("interrupted");
        }
    }
}
