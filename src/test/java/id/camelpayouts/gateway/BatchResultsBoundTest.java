package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/batches/{id}/results of a batch that is not a dropped file: its payouts are as many as
 * instructions named it, without the file drop's bound (payouts.files.max-rows), and the answer
 * was made whole in memory (every payout read at once, then the CSV, then its text): a batch of a
 * few hundred thousand API payouts ended the gateway out of memory (the run command's -Xmx256m and
 * ExitOnOutOfMemoryError), for any key with read. Now a batch of more payouts than a file may hold
 * rows is answered 409, naming the search that pages through it, before any payout is read; the
 * others are read a page at a time.
 */
class BatchResultsBoundTest extends GatewayTestSupport {

    BatchResultsBoundTest() {
        System.setProperty("payouts.files.max-rows", "3");
    }

    @AfterAll
    void forgetBound() {
        System.clearProperty("payouts.files.max-rows");
    }

    @Test
    void aBatchOfMorePayoutsThanAFileMayHoldRowsIsRefusedItsResultsButNotItsCountsNorItsSearch() throws Exception {
        String within = reference("bound-within");
        String over = reference("bound-over");
        List<String> paid = submit(within, 3);
        paid.addAll(submit(over, 4));
        paid.forEach(this::awaitFinal);

        Response whole = get("/api/batches/" + within + "/results", READER_KEY);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(ResultsFiles.parse(whole.body().getBytes(StandardCharsets.UTF_8))).hasSize(3)
                .extracting(row -> row.get("row")).containsExactly("1", "2", "3");

        Response refused = get("/api/batches/" + over + "/results", READER_KEY);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error")).asString().contains("4 payouts").contains("payouts.files.max-rows (3)")
                .contains("GET /api/payouts?batch=");
        assertThat(get("/api/batches/" + over, READER_KEY).json()).containsEntry("rows", 4);
        assertThat((List<?>) get("/api/payouts?batch=" + over + "&limit=500", READER_KEY).json().get("items")).hasSize(4);
    }

    /** {@code count} payouts naming the batch, in order; their references. */
    private List<String> submit(String batch, int count) {
        List<String> references = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String reference = batch + "-" + i;
            assertThat(post("/api/payouts", instruction(reference, "8760673566", 50000).replace("}", ",\"batch\":\""
                    + batch + "\"}")).status()).isEqualTo(202);
            references.add(reference);
        }
        return references;
    }
}
