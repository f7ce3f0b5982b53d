package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * The outbox as the run command has it by default ({@code ./outbox}: one folder, relative, with a
 * leading {@code ./}) holds the results files and nothing else once a file is paid: no folder
 * inside it (the results writer once made an empty {@code outbox/outbox/}).
 */
class OutboxHoldsOnlyResultsTest {

    DuitkuTwin twin;
    Main gateway;
    Path work;
    Path outbox;

    @AfterEach
    void stopAll() throws IOException {
        if (gateway != null) {
            gateway.stop();
        }
        twin.stop();
        for (Path made : new Path[] {outbox, work}) {
            if (made != null && Files.exists(made)) {
                try (Stream<Path> all = Files.walk(made)) {
                    for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    @Test
    void aPaidFileLeavesItsResultsFileAndNoFolderInTheOutbox() throws Exception {
        twin = new DuitkuTwin(TestGateways.twinSettings(20, 5_000), Clock.systemUTC());
        twin.start();
        work = Files.createTempDirectory(Path.of("target"), "outbox-only-results");
        // a single folder beside the working directory, named as the run command's default is
        outbox = Path.of("outbox-only-results-" + System.nanoTime());
        var settings = TestGateways.settings(twin, "jdbc:h2:mem:outbox-only-results", work.toString());
        settings.put("payouts.inbox", work.resolve("inbox").toString());
        settings.put("payouts.outbox", "./" + outbox);
        gateway = TestGateways.start(settings);
        Files.createDirectories(work.resolve("inbox"));
        Files.writeString(work.resolve("inbox").resolve("paid.csv"), "reference,bankCode,accountNumber,amount\n"
                + "outbox-only-1,014,8760673566,50000\noutbox-only-2,014,8760673566,60000\n");
        Files.writeString(work.resolve("inbox").resolve("paid.csv.done"), "");

        Path results = outbox.resolve("paid.csv.results.csv");
        List<Map<String, String>> rows = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(results) ? ResultsFiles.read(results) : List.<Map<String, String>>of(),
                        read -> read.size() == 2 && read.stream().noneMatch(r -> Payout.PENDING.equals(r.get("status"))));
        assertThat(rows).extracting(r -> r.get("status")).containsExactly("SUCCEEDED", "SUCCEEDED");

        try (Stream<Path> inOutbox = Files.list(outbox)) {
            assertThat(inOutbox.toList()).as("results files (and a rewrite's transient .writing- file), no folder")
                    .contains(results).noneMatch(Files::isDirectory)
                    .allMatch(path -> path.equals(results) || path.getFileName().toString().startsWith(".writing-"));
        }
    }
}
