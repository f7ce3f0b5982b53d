package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a lasting fault or an attacker can make the gateway log is bounded: a results file that
 * cannot be written for seconds logs its first failure and its recovery, not one stack trace per
 * attempt; hundreds of refused API requests a second log a line a second per kind of refusal.
 */
class LogFloodTest extends GatewayTestSupport {

    static final CapturedLog CAPTURED = CapturedLog.attachAtInfo("flood-capture");
    static final Queue<String> LOGGED = CAPTURED.lines();

    @Test
    void refusedApiRequestsLogALineASecondPerKindWithTheCountOfTheOthers() throws Exception {
        int before = LOGGED.size();
        long began = System.nanoTime();
        for (int i = 0; i < 150; i++) {
            assertThat(post("/api/payouts", instruction("flood-" + i, "8760673566", 50000), "wrong-key").status())
                    .isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(uri("/api/payouts?X-API-Key=x")).header("X-API-Key", API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))).status()).isEqualTo(401);
            assertThat(post("/api/payouts", instruction("flood-r" + i, "8760673566", 50000), READER_KEY).status())
                    .isEqualTo(403);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Thread.sleep(1100);
        // one more of each kind after the second: its line counts the ones left out
        post("/api/payouts", "{}", "wrong-key");
        post("/api/payouts", "{}", READER_KEY);
        List<String> refusals = since(before).stream().filter(line -> line.contains("refused")).toList();
        // 3 kinds, at most one line a second each (and the last two), whatever the 450 requests
        assertThat(refusals).as("refusal lines for 450 requests in %.1f s", seconds)
                .isNotEmpty().hasSizeLessThanOrEqualTo(3 * ((int) Math.ceil(seconds) + 1) + 2);
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("missing or wrong X-API-Key"));
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("role 'submit'"));
        assertThat(refusals).anySatisfy(line -> assertThat(line).containsPattern("and \\d+ more of this kind since the last line"));
    }

    @Test
    void anUnwritableOutboxLogsItsFirstFailureAndItsRecoveryNotEveryAttempt() throws Exception {
        Files.createDirectories(outbox);
        try (var old = Files.list(outbox)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(outbox);
        Files.writeString(outbox, "not a directory"); // as root, a file in its place is what cannot be written
        int before = LOGGED.size();
        String name = "flood.csv";
        Files.writeString(inbox.resolve(name), "reference,bankCode,accountNumber,amount\n"
                + reference("flood-file") + ",014,8760673566,50000\n");
        long dropped = System.nanoTime();
        Files.writeString(inbox.resolve(name + ".done"), "");
        // At least 5 failed rounds and at least 3 s (15 results intervals of 200 ms, each retrying the
        // write): a loaded machine runs fewer rounds in a given time, so their number is awaited.
        // Camel's route metrics count every failed round (the alert rule's
        // camel_exchanges_failed_total{routeId="write-results-files"})
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> failedRounds() >= 5
                && Duration.ofNanos(System.nanoTime() - dropped).compareTo(Duration.ofSeconds(3)) >= 0);
        double rounds = failedRounds();
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - dropped).toMillis();
        List<String> failing = since(before).stream()
                .filter(line -> line.contains("results") || line.contains(outbox.toString())).toList();
        assertThat(failing).as("lines while the outbox could not be written (%s failed rounds)", rounds)
                .hasSizeBetween(1, 2).allSatisfy(line -> assertThat(line).doesNotContain("\tat "));
        assertThat(failing.get(0)).contains(name + ".results.csv");
        assertThat(since(before)).noneSatisfy(line -> assertThat(line).contains("\tat "));
        // ...retried at the results interval, 200 ms here: not at every 100 ms look, re-reading the
        // ledger (3 rounds more than the intervals, as 18 in 3 s)
        assertThat(rounds).as("failed rounds in %d ms", elapsedMillis).isLessThanOrEqualTo(elapsedMillis / 200 + 3);

        Files.delete(outbox);
        Files.createDirectories(outbox);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(outbox.resolve(name + ".results.csv")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(since(before))
                .anySatisfy(line -> assertThat(line).contains("Results files written again")));
    }

    private double failedRounds() {
        Counter failed = context.getRegistry().findSingleByType(MeterRegistry.class).find("camel.exchanges.failed")
                .tag("routeId", "write-results-files").counter();
        return failed == null ? 0 : failed.count();
    }

    /**
     * A client that sends part of a body and goes away (a dropped connection, or anyone who can
     * reach the callbacks' port, with no key) logged an ERROR with its exception from the HTTP
     * server, one per connection: a few lines of code made the log, and the alerts reading it, as
     * loud as the attacker liked. A client leaving is nothing to report; the next request is answered.
     */
    @Test
    void clientsThatLeaveInTheMiddleOfABodyLogNothing() throws Exception {
        int before = LOGGED.size();
        for (int i = 0; i < 30; i++) {
            try (java.net.Socket socket = new java.net.Socket(uri("/").getHost(), uri("/").getPort())) {
                java.io.OutputStream out = socket.getOutputStream();
                boolean oversized = i % 2 == 0;
                out.write(("POST /api/payouts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + (oversized ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: 1000\r\n\r\n{\"a\":"))
                        .getBytes(StandardCharsets.US_ASCII));
                for (int chunk = 0; oversized && chunk < 20; chunk++) {
                    out.write(("1000\r\n" + " ".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                Thread.sleep(20); // the server has the part
            } catch (java.io.IOException reset) {
                // the server closed first (the body over the limit): the same for the log
            }
        }
        assertThat(post("/api/payouts", instruction(reference("after-leavers"), "8760673566", 50000)).status())
                .isEqualTo(202);
        Thread.sleep(500); // the server has seen every connection close
        assertThat(since(before).stream().filter(line -> line.contains("Unhandled exception")
                || line.contains("HttpClosedException"))).as("lines of clients that left").isEmpty();
    }

    private static List<String> since(int index) {
        List<String> lines = new ArrayList<>(LOGGED);
        return lines.subList(Math.min(index, lines.size()), lines.size());
    }

    @AfterAll
    static void detach() {
        CAPTURED.detachToWarn();
    }
}
