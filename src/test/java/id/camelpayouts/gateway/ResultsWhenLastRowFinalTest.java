package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * A file's results are written when the gateway sees its last row turn final, not only at the
 * results interval: here the interval is an hour, so every version of the file seen below was
 * written because the file was opened or its rows were done.
 */
class ResultsWhenLastRowFinalTest {

    DuitkuTwin twin;
    Main gateway;

    @AfterEach
    void stopAll() {
        if (gateway != null) {
            gateway.stop();
        }
        twin.stop();
    }

    @Test
    void theLastVersionOfAResultsFileDoesNotWaitForTheInterval() throws Exception {
        twin = new DuitkuTwin(TestGateways.twinSettings(20, 5_000), Clock.systemUTC());
        twin.start();
        Path work = Files.createTempDirectory(Path.of("target"), "results-at-once");
        var settings = TestGateways.settings(twin, "jdbc:h2:mem:results-at-once", work.toString());
        settings.put("payouts.inbox", work.resolve("inbox").toString());
        settings.put("payouts.outbox", work.resolve("outbox").toString());
        settings.put("payouts.files.results-interval", "1h");
        gateway = TestGateways.start(settings);
        Files.createDirectories(work.resolve("inbox"));
        Files.writeString(work.resolve("inbox").resolve("now.csv"), "reference,bankCode,accountNumber,amount\n"
                + "at-once-1,014,8760673566,50000\nat-once-2,014,8760673566,60000\nat-once-3,bad,1,x\n");
        Files.writeString(work.resolve("inbox").resolve("now.csv.done"), "");

        Path results = work.resolve("outbox").resolve("now.csv.results.csv");
        List<Map<String, String>> rows = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(results) ? ResultsFiles.read(results) : List.<Map<String, String>>of(),
                        read -> read.size() == 3 && read.stream().noneMatch(r -> Payout.PENDING.equals(r.get("status"))));

        assertThat(rows).extracting(r -> r.get("status")).containsExactly("SUCCEEDED", "SUCCEEDED", "REJECTED");
    }
}
