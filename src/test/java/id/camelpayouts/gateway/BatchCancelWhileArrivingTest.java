package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

/**
 * An operator cancels a big dropped file while its rows are still being taken in: the cancel holds
 * for the rows taken in after it too. Nothing is sent after the cancel; a payout whose transfer was
 * claimed before it is paid (it may have been sent), every other row ends CANCELLED, none is lost
 * and none paid twice. A row taken in after the cancel is recorded CANCELLED at once: the provider
 * is not even asked its inquiry (before, each was inquired and then refused its transfer claim).
 */
class BatchCancelWhileArrivingTest extends GatewayTestSupport {

    private static final int ROWS = 5000;

    @Test
    void aBigFileCancelledWhileArrivingPaysNothingAfterTheCancel() throws Exception {
        String tag = "bc" + System.nanoTime() % 100000;
        String name = tag + ".csv";
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,accountName,amount\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append(tag).append('-').append(i).append(",002,").append(4100000000L + i).append(",,")
                    .append(10000 + i % 100).append('\n');
        }
        int executedBefore = twin.transfersExecuted();
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, csv, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));

        String ofBatch = "batch_id = '" + name + "'";
        // as soon as its first rows are payouts: the rest are still being read
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.countWhere(ofBatch) > 0);
        // The cancel answers once its mark is on disk and every payout of the batch taken in so far
        // is ended, while the intake goes on writing rows to the same ledger beside it: 0.3 to 4.3 s
        // on two idle cores, so on a machine loaded by other builds it may outlast the usual wait
        // for an answer. What it did is asserted, not how fast.
        Response cancel = post("/api/batches/" + name + "/cancel", "{\"note\":\"wrong file\"}", OPERATOR_KEY,
                Duration.ofSeconds(60));
        int takenInByTheAnswer = ledger.countWhere(ofBatch);

        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json()).containsKey("cancelledAt");
        assertThat(takenInByTheAnswer).as("rows were still arriving after the cancel").isLessThan(ROWS);

        Path results = outbox.resolve(name + ".results.csv");
        List<Map<String, String>> rows = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> ResultsFiles.read(results), read -> read.size() == ROWS
                        && read.stream().noneMatch(row -> Payout.PENDING.equals(row.get("status"))));

        // every row is in the ledger and in the results, each once
        assertThat(ledger.countWhere(ofBatch)).isEqualTo(ROWS);
        Set<String> references = new HashSet<>();
        rows.forEach(row -> references.add(row.get("reference")));
        assertThat(references).hasSize(ROWS);
        // paid (claimed before the cancel) or cancelled: nothing else, nothing lost
        assertThat(rows).extracting(row -> row.get("status")).isSubsetOf(Payout.SUCCEEDED, Payout.CANCELLED);
        int succeeded = ledger.countWhere(ofBatch + " AND status = 'SUCCEEDED'");
        assertThat(succeeded + ledger.countWhere(ofBatch + " AND status = 'CANCELLED'")).isEqualTo(ROWS);
        // only payouts the cancel found and could not cancel (their transfer was claimed) were paid
        int changed = ((Number) cancel.json().get("changed")).intValue();
        assertThat(succeeded).as("paid, of %s taken in by the cancel's answer, %s cancelled by it", takenInByTheAnswer,
                changed).isLessThanOrEqualTo(takenInByTheAnswer - changed);
        // nothing claimed after the cancel's mark; a payout that may have been sent is never CANCELLED
        String cancelledAt = "(SELECT cancelled_at FROM payout_batches WHERE id = '" + name + "')";
        assertThat(ledger.countWhere(ofBatch + " AND transfer_sent_at >= " + cancelledAt)).isZero();
        assertThat(ledger.countWhere(ofBatch + " AND status = 'CANCELLED' AND (transfer_sent_at IS NOT NULL"
                + " OR transfer_attempts > 0)")).isZero();
        assertThat(ledger.countWhere(ofBatch + " AND status = 'SUCCEEDED' AND transfer_sent_at IS NULL")).isZero();
        // the twin executed exactly the transfers of the SUCCEEDED rows, each once
        assertThat(twin.transfersExecuted() - executedBefore).isEqualTo(succeeded);
        rows.stream().filter(row -> Payout.SUCCEEDED.equals(row.get("status")))
                .forEach(row -> assertThat(twin.transfersExecuted(row.get("providerReference"))).isEqualTo(1));
        // rows taken in after the cancel were cancelled too, naming the operator's cancel
        assertThat(ledger.countWhere(ofBatch + " AND status = 'CANCELLED' AND reason LIKE 'cancelled by operator%'"))
                .isEqualTo(ROWS - succeeded);

        // The rows are taken in one after the other, each committed before the next begins: those after
        // the first row not in the ledger when the cancel had answered began after its mark. Each is
        // CANCELLED at intake, and its account (one per row) was never asked about.
        int inquiredAfterTheMark = 0;
        for (int i = takenInByTheAnswer + 2; i <= ROWS; i++) {
            inquiredAfterTheMark += twin.calls("inquirysandbox", String.valueOf(4100000000L + i));
        }
        assertThat(inquiredAfterTheMark).as("inquiries of the %s rows taken in after the cancel's mark",
                ROWS - takenInByTheAnswer - 1).isZero();
        assertThat(ledger.countWhere(ofBatch + " AND status = 'CANCELLED' AND inquiry_attempts = 0"))
                .isGreaterThanOrEqualTo(ROWS - takenInByTheAnswer - 1);

        Map<String, Object> batch = get("/api/batches/" + name).json();
        assertThat(batch.get("cancelled")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("by", "operator").containsEntry("note", "wrong file");
    }
}
