package id.camelpayouts.files;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears of files appearing or changing in the inbox from the operating system (inotify on Linux)
 * and tells the inbox's poll ({@link WakeableSchedule}) and the read lock waiting for a file to be
 * whole ({@link SettledFileReadLock}: its done marker) at once, instead of at their next look
 * (issue 17: a dropped file waited 50 ms on average for the inbox's poll, and 100 ms more when the
 * poll came between the file and its marker). Where the file system tells nothing, or the watch
 * cannot be opened, the poll and the read lock look every 100 ms as before.
 */
public final class InboxWatch extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(InboxWatch.class);

    private final Path inbox;
    private final WakeableSchedule poll;
    private final Object changed = new Object();
    /** How many times the inbox changed so far (guarded by {@code changed}). */
    private long changes;
    private WatchService watch;

    public InboxWatch(Path inbox, WakeableSchedule poll) {
        this.inbox = inbox;
        this.poll = poll;
    }

    /** How many changes were heard so far: the {@code seen} of {@link #awaitChange}. */
    public long changes() {
        synchronized (changed) {
            return changes;
        }
    }

    /** Returns after {@code millis}, or sooner once the inbox changed after {@code seen} was read. */
    public void awaitChange(long seen, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        synchronized (changed) {
            long left;
            while (changes == seen && (left = until - System.nanoTime()) > 0) {
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    protected void doStart() {
        try {
            Files.createDirectories(inbox);
            watch = inbox.getFileSystem().newWatchService();
            inbox.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("The inbox {} cannot be watched ({}); it is looked at every 100 ms", inbox, e.toString());
            watch = null;
            return;
        }
        Thread listener = new Thread(this::listen, "payouts-inbox-watch");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        WatchService events = watch;
        try {
            while (true) {
                WatchKey key = events.take();
                key.pollEvents();
                boolean stillWatched = key.reset();
                synchronized (changed) {
                    changes++;
                    changed.notifyAll();
                }
                poll.wake();
                if (!stillWatched) {
                    LOG.info("The inbox {} is no longer watched (removed?); it is looked at every 100 ms", inbox);
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // the gateway stops
        }
    }

    @Override
    protected void doStop() throws IOException {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
