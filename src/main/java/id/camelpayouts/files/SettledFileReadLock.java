package id.camelpayouts.files;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.MarkerFileExclusiveReadLockStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a dropped file may be read: once nothing writes it any more. Camel's {@code changed} read
 * lock can tell that only by waiting until the file has not changed for the settle time
 * ({@code payouts.files.settle-time}), a second by default, even for a file that was whole when it
 * appeared. This one takes a file sooner when it can tell that the file is whole:
 * <ul>
 * <li>its sender wrote a done marker beside it, {@code <name>.done} (any content, written after the
 * file): read at once; the marker is deleted once the file has been taken in;</li>
 * <li>it was moved into the inbox after it was last written: its status-change time (ctime, which
 * a rename sets, as do chmod and touch) is later than its last write (mtime), and neither changed
 * during one check. A writer that writes again makes them equal again. Where the file system does
 * not report the ctime, or a rename followed the last write within its clock's granularity, this
 * rule does not apply and the settle time does;</li>
 * <li>otherwise once its size and last write have not changed for the settle time.</li>
 * </ul>
 * Like Camel's own read locks it holds a marker ({@code <name>.camelLock}) while the file is read,
 * so that gateways sharing the inbox never take the same file at once.
 */
public final class SettledFileReadLock extends MarkerFileExclusiveReadLockStrategy {

    /** What the sender writes beside a whole file, {@code payroll.csv} then {@code payroll.csv.done}. */
    public static final String DONE_MARKER = ".done";
    private static final Logger LOG = LoggerFactory.getLogger(SettledFileReadLock.class);

    private final long settleMillis;
    private final long checkMillis;
    /** A file still changing after this long is left for the next poll (Camel's read locks give up too). */
    private final long giveUpMillis;
    /** Tells of the done marker's arrival before the next check, where the inbox is watched. */
    private volatile InboxWatch inbox;

    public SettledFileReadLock(Duration settle, Duration check) {
        this(settle, check, settle.plusSeconds(10));
    }

    SettledFileReadLock(Duration settle, Duration check, Duration giveUp) {
        this.settleMillis = settle.toMillis();
        this.checkMillis = Math.max(1, check.toMillis());
        this.giveUpMillis = giveUp.toMillis();
    }

    /** Looks again as soon as {@code watch} hears the inbox change (a done marker written), not only every check. */
    public SettledFileReadLock wokenBy(InboxWatch watch) {
        this.inbox = watch;
        return this;
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) throws Exception {
        if (!super.acquireExclusiveReadLock(operations, file, exchange)) {
            return false; // another consumer holds its marker
        }
        Path path = file.getFile().toPath();
        long giveUpAt = System.currentTimeMillis() + giveUpMillis;
        InboxWatch watch = inbox;
        FileState previous = null;
        long previousAt = 0;
        while (true) {
            long seen = watch == null ? 0 : watch.changes();
            FileState now = FileState.of(path);
            if (now == null) {
                return false; // gone meanwhile
            }
            if (Files.exists(doneMarker(path), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            // Unchanged over a whole check (a look woken early by the inbox compares nothing)
            long at = System.nanoTime();
            boolean checkDue = previous == null || at - previousAt >= checkMillis * 1_000_000;
            if (checkDue && now.equals(previous)
                    && (now.movedInAfterWrite() || now.unwrittenFor() >= settleMillis)) {
                return true;
            }
            if (System.currentTimeMillis() > giveUpAt) {
                LOG.info("File {} still changes after {} ms; left for the next poll", file.getFileName(), giveUpMillis);
                return false;
            }
            if (checkDue) {
                previous = now;
                previousAt = at;
            }
            try {
                long untilCheck = Math.max(1, checkMillis - (System.nanoTime() - previousAt) / 1_000_000);
                if (watch == null) {
                    Thread.sleep(untilCheck);
                } else {
                    watch.awaitChange(seen, untilCheck);
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) throws Exception {
        super.releaseExclusiveReadLockOnCommit(operations, file, exchange);
        // The file is taken in: its marker must not make a later file of the same name look whole.
        Files.deleteIfExists(doneMarker(Path.of(file.getAbsoluteFilePath())));
    }

    static Path doneMarker(Path file) {
        return file.resolveSibling(file.getFileName() + DONE_MARKER);
    }

    /** Size, last write and last status change (null where not reported) of a file. */
    record FileState(long size, FileTime written, FileTime changed) {

        static FileState of(Path path) throws IOException {
            try {
                BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                return new FileState(basic.size(), basic.lastModifiedTime(), statusChange(path));
            } catch (NoSuchFileException gone) {
                return null;
            }
        }

        private static FileTime statusChange(Path path) throws IOException {
            try {
                Map<String, Object> unix = Files.readAttributes(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
                return (FileTime) unix.get("ctime");
            } catch (UnsupportedOperationException | IllegalArgumentException notReported) {
                return null;
            }
        }

        boolean movedInAfterWrite() {
            return changed != null && changed.compareTo(written) > 0;
        }

        long unwrittenFor() {
            return System.currentTimeMillis() - written.toMillis();
        }
    }
}
