package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the inbox takes a file: with a settle time of an hour, a file is taken only when it is
 * known to be whole (done marker, or moved in after its last write); anything else is left for a
 * later poll once the lock gives up (here after 300 ms).
 */
class SettledFileReadLockTest {

    @TempDir
    Path inbox;
    private final SettledFileReadLock lock = new SettledFileReadLock(Duration.ofHours(1), Duration.ofMillis(20),
            Duration.ofMillis(300));
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @BeforeEach
    void unixFileSystem() {
        assumeTrue(inbox.getFileSystem().supportedFileAttributeViews().contains("unix"),
                "the file system reports status-change times");
    }

    @Test
    void aFileJustWrittenInPlaceIsNotTakenBeforeTheSettleTime() throws Exception {
        Path file = Files.writeString(inbox.resolve("payroll.csv"), "reference,amount\n");

        assertThat(lock.acquireExclusiveReadLock(null, generic(file), exchange)).isFalse();
    }

    @Test
    void aFileWithItsDoneMarkerIsTakenAtOnceAndTheMarkerGoesWhenTheFileIsTakenIn() throws Exception {
        Path file = Files.writeString(inbox.resolve("payroll.csv"), "reference,amount\n");
        Path marker = Files.writeString(inbox.resolve("payroll.csv.done"), "");
        GenericFile<File> generic = generic(file);

        assertThat(lock.acquireExclusiveReadLock(null, generic, exchange)).isTrue();
        assertThat(inbox.resolve("payroll.csv.camelLock")).exists();

        lock.releaseExclusiveReadLockOnCommit(null, generic, exchange);
        assertThat(marker).doesNotExist();
        assertThat(inbox.resolve("payroll.csv.camelLock")).doesNotExist();
    }

    @Test
    void aFileMovedInAfterItWasWrittenIsTakenAtOnce() throws Exception {
        Path part = Files.writeString(inbox.resolve(".payroll.csv.part"), "reference,amount\n");
        awaitNextClockTick(part);
        Path file = Files.move(part, inbox.resolve("payroll.csv"));

        assertThat(lock.acquireExclusiveReadLock(null, generic(file), exchange)).isTrue();
    }

    @Test
    void aFileWrittenAgainAfterItWasMovedInWaitsForTheSettleTime() throws Exception {
        Path part = Files.writeString(inbox.resolve(".payroll.csv.part"), "reference,amount\n");
        awaitNextClockTick(part);
        Path file = Files.move(part, inbox.resolve("payroll.csv"));
        awaitNextClockTick(file);
        Files.writeString(file, "r1,10000\n", StandardOpenOption.APPEND);

        assertThat(lock.acquireExclusiveReadLock(null, generic(file), exchange)).isFalse();
    }

    @Test
    void aFileAnotherGatewayHoldsIsNotTaken() throws Exception {
        Path file = Files.writeString(inbox.resolve("payroll.csv"), "reference,amount\n");
        Files.writeString(inbox.resolve("payroll.csv.done"), "");
        Files.writeString(inbox.resolve("payroll.csv.camelLock"), "");

        assertThat(lock.acquireExclusiveReadLock(null, generic(file), exchange)).isFalse();
    }

    @Test
    void aFileWhoseMarkerComesWhileTheLockWaitsIsTakenAsSoonAsTheInboxTellsOfIt() throws Exception {
        InboxWatch watch = new InboxWatch(inbox, new WakeableSchedule());
        watch.start();
        try {
            // checked only every hour: only the inbox's word can make it look again in time
            SettledFileReadLock hourly = new SettledFileReadLock(Duration.ofHours(1), Duration.ofHours(1),
                    Duration.ofHours(2)).wokenBy(watch);
            Path file = Files.writeString(inbox.resolve("payroll.csv"), "reference,amount\n");
            CompletableFuture<Boolean> taken = CompletableFuture.supplyAsync(() -> {
                try {
                    return hourly.acquireExclusiveReadLock(null, generic(file), exchange);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(inbox.resolve("payroll.csv.camelLock")));
            Files.writeString(inbox.resolve("payroll.csv.done"), "");

            assertThat(taken.get(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            watch.stop();
        }
    }

    /** Waits until the file system's clock (coarser than nanoseconds) has moved past the file's last write. */
    private static void awaitNextClockTick(Path file) throws Exception {
        FileTime written = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        Path probe = file.resolveSibling(".probe");
        do {
            Thread.sleep(2);
            Files.writeString(probe, Instant.now().toString());
        } while (Files.getLastModifiedTime(probe).compareTo(written) <= 0);
        Files.delete(probe);
    }

    private static GenericFile<File> generic(Path path) {
        GenericFile<File> file = new GenericFile<>();
        file.setFile(path.toFile());
        file.setAbsolute(true);
        file.setAbsoluteFilePath(path.toAbsolutePath().toString());
        file.setEndpointPath(path.getParent().toString());
        file.setFileName(path.getFileName().toString());
        file.setFileNameOnly(path.getFileName().toString());
        file.setRelativeFilePath(path.getFileName().toString());
        file.setFileLength(path.toFile().length());
        file.setLastModified(path.toFile().lastModified());
        return file;
    }
}
