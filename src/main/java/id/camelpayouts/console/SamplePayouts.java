package id.camelpayouts.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.ledger.PayoutLedger;

/**
 * The sample payouts on a gateway's first start (PAYOUTS_SAMPLES, application.properties): when
 * the ledger holds no payout at all, the files of the samples folder are dropped into the inbox
 * and paid like any dropped file, so that the console has something to show. Only with the twin
 * on (the gateway calls GatewayConfiguration decides): the samples are paid by the local twin,
 * never by a real provider, and production, which refuses the twin, never gets them.
 */
public final class SamplePayouts {

    private static final Logger LOG = LoggerFactory.getLogger(SamplePayouts.class);

    private SamplePayouts() {
    }

    /** Drops the samples into the inbox when the ledger is empty; returns the files dropped. */
    public static List<Path> dropOnFirstStart(Path samples, Path inbox, PayoutLedger ledger) throws IOException {
        if (!Files.isDirectory(samples) || ledger.countWhere("1 = 1") > 0) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(samples)) {
            files = listed.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches("[A-Za-z0-9][A-Za-z0-9._-]*\\.(csv|json)"))
                    .sorted().toList();
        }
        Files.createDirectories(inbox);
        for (Path file : files) {
            // written under a name the inbox skips, then renamed: never read half-copied
            Path partial = inbox.resolve("." + file.getFileName() + ".sample");
            Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (!files.isEmpty()) {
            LOG.info("First start: {} sample files of {} dropped into {}, paid by the twin (PAYOUTS_SAMPLES; empty: none)",
                    files.size(), samples, inbox);
        }
        return files;
    }
}
