package id.camelpayouts.files;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;

/**
 * Camel's poll schedule (every {@code delay}, set by the endpoint's {@code scheduler.delay}) that
 * also polls at once when {@link #wake woken}: whoever knows there is work (a file appeared in the
 * inbox, a file's last rows turned final) need not wait for the next look (issue 17: a payout file's
 * first rows waited up to 100 ms for the inbox's poll, its last results up to 100 ms for the
 * results route's). A wake-up runs on the schedule's own thread, so polls never overlap, and wake-ups
 * that come while one is pending make one poll.
 */
public final class WakeableSchedule extends DefaultScheduledPollConsumerScheduler {

    private volatile Runnable poll;
    private final AtomicBoolean pending = new AtomicBoolean();

    @Override
    public void scheduleTask(Runnable task) {
        super.scheduleTask(task);
        poll = task;
    }

    /** Polls as soon as the schedule's thread is free (nothing while the consumer is not started). */
    public void wake() {
        Runnable task = poll;
        ScheduledExecutorService thread = getScheduledExecutorService();
        if (task == null || thread == null || !isSchedulerStarted() || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                pending.set(false);
                task.run();
            });
        } catch (RejectedExecutionException stopping) {
            pending.set(false);
        }
    }
}
