package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * GET /api/batches, /api/batches/{id} and /api/batches/{id}/results: a dropped file is a batch
 * named after it; instructions from the API or the requests queue that name the same batch are
 * one too. Counts, amounts, progress and the results file are the ledger's.
 */
@SuppressWarnings("unchecked")
class BatchesApiTest extends GatewayTestSupport {

    @Test
    void aDroppedFileIsABatchNamedAfterItWithItsCountsAmountsAndResults() throws Exception {
        String tag = "bf" + System.nanoTime() % 100_000;
        String name = "pay roll " + tag + ".csv"; // a space: the id is the name as dropped, URL-encoded in the path
        drop(name, "reference,bankCode,accountNumber,amount\n"
                + tag + "-1,014,8760673566,50000\n"
                + tag + "-2,014,8760673562,60000\n"            // the sandbox's -510: FAILED
                + tag + "-3,014,12-34,abc\n"                   // refused: REJECTED, no amount
                + tag + "-4,002,4000000004,70000\n");
        String path = "/api/batches/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        Map<String, Object> batch = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(path, READER_KEY).json(), answer -> answer.get("finishedAt") != null);

        assertThat(batch).containsEntry("id", name).containsEntry("intake", "file").containsEntry("rows", 4)
                .containsEntry("final", 4).containsEntry("progress", 1.0).containsKey("startedAt");
        assertThat((Map<String, Object>) batch.get("counts")).containsEntry("SUCCEEDED", 2).containsEntry("FAILED", 1)
                .containsEntry("REJECTED", 1).containsEntry("PENDING", 0);
        assertThat((Map<String, Object>) batch.get("amounts")).containsEntry("SUCCEEDED", 120000)
                .containsEntry("FAILED", 60000).containsEntry("REJECTED", 0).containsEntry("PENDING", 0);

        Response results = get(path + "/results", READER_KEY);
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.body()).isEqualTo(Files.readString(outbox.resolve(name + ".results.csv")));
        assertThat(ResultsFiles.parse(results.body().getBytes(StandardCharsets.UTF_8))).hasSize(4);

        List<Map<String, Object>> items = (List<Map<String, Object>>) get("/api/payouts?batch="
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&intake=file", READER_KEY).json().get("items");
        assertThat(items).extracting(item -> item.get("reference")).containsExactlyInAnyOrder(tag + "-1", tag + "-2",
                tag + "-4");

        // an instruction may not join a file's batch: its rows are the file's (no instruction's
        // batch may be named like a file at all)
        Response joining = post("/api/payouts", "{\"reference\":\"" + tag + "-5\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"8760673566\",\"amount\":50000,\"batch\":\"" + name + "\"}");
        assertThat(joining.status()).isEqualTo(400);
        assertThat((List<String>) joining.json().get("problems")).anyMatch(p -> p.startsWith("batch: must not end in"));
        assertThat(ledger.find(tag + "-5")).isNull();

        // the same name with other content is not the same batch: refused whole, nothing paid
        int transfers = twin.transfersExecuted();
        drop(name, "reference,bankCode,accountNumber,amount\n" + tag + "-9,014,8760673566,50000\n");
        Path why = noteOf(awaitRefusedFile(name));
        assertThat(Files.readString(why)).contains("a batch named after this file exists already");
        assertThat(ledger.find(tag + "-9")).isNull();
        assertThat(twin.transfersExecuted()).isEqualTo(transfers);
        assertThat(get(path, READER_KEY).json()).containsEntry("rows", 4);
    }

    /**
     * A row given twice in one file is paid once, and its money counts once in the batch's amounts
     * (before, the repeat's amount was added again: 100,000 shown SUCCEEDED for 50,000 paid); a
     * row refused for a reference taken by another row adds nothing either. Both are counted apart.
     */
    @Test
    void aRowRepeatedInAFileCountsItsMoneyOnce() throws Exception {
        String tag = "br" + System.nanoTime() % 100_000;
        String name = tag + ".csv";
        int transfers = twin.transfersExecuted();
        drop(name, "reference,bankCode,accountNumber,amount\n"
                + tag + "-1,014,8760673566,50000\n"
                + tag + "-2,014,8760673562,60000\n"            // the sandbox's -510: FAILED
                + tag + "-1,014,8760673566,50000\n"            // the same row again: a repeat, paid once
                + tag + "-2,014,8760673566,65000\n");          // its reference taken by other content: refused
        Map<String, Object> batch = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/batches/" + name, READER_KEY).json(), answer -> answer.get("finishedAt") != null);

        assertThat(twin.transfersExecuted() - transfers).as("the first row, once").isEqualTo(1);
        assertThat((Map<String, Object>) batch.get("funds")).as("each reference once").containsEntry("total", 110000);
        assertThat(batch).containsEntry("rows", 4).containsEntry("final", 4).containsEntry("refusedRows", 1)
                .containsEntry("repeatedRows", 1);
        assertThat((Map<String, Object>) batch.get("counts")).containsEntry("SUCCEEDED", 2).containsEntry("FAILED", 1)
                .containsEntry("REJECTED", 1);
        assertThat((Map<String, Object>) batch.get("amounts")).containsEntry("SUCCEEDED", 50000)
                .containsEntry("FAILED", 60000).containsEntry("REJECTED", 0);
        assertThat(ResultsFiles.parse(get("/api/batches/" + name + "/results", READER_KEY).body()
                .getBytes(StandardCharsets.UTF_8))).hasSize(4);
    }

    @Test
    void instructionsFromTheApiAndTheQueueThatNameABatchAreOne() throws IOException {
        String batch = "payroll-" + System.nanoTime() % 100_000;
        List<String> references = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String reference = reference(batch);
            references.add(reference);
            assertThat(post("/api/payouts", withBatch(instruction(reference, i == 1 ? "8760673562" : "8760673566",
                    50000 + i), batch), SUBMITTER_KEY).status()).isEqualTo(202);
        }
        String queued = reference(batch);
        references.add(queued);
        context.createProducerTemplate().sendBody("jms:queue:payouts.requests",
                withBatch(instruction(queued, "8760673566", 80000), batch));
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(queued) != null);
        references.forEach(this::awaitFinal);

        Map<String, Object> answer = get("/api/batches/" + batch, READER_KEY).json();
        assertThat(answer).containsEntry("id", batch).containsEntry("intake", "api").containsEntry("rows", 4)
                .containsEntry("final", 4).containsEntry("progress", 1.0);
        assertThat(answer.get("finishedAt")).isNotNull();
        assertThat((Map<String, Object>) answer.get("counts")).containsEntry("SUCCEEDED", 3).containsEntry("FAILED", 1);
        assertThat((Map<String, Object>) answer.get("amounts")).containsEntry("SUCCEEDED", 50000 + 50002 + 80000)
                .containsEntry("FAILED", 50001);

        List<Map<String, Object>> items = (List<Map<String, Object>>) get("/api/payouts?batch=" + batch, READER_KEY)
                .json().get("items");
        assertThat(items).extracting(item -> item.get("reference")).containsExactlyInAnyOrderElementsOf(references);
        assertThat((List<?>) get("/api/payouts?batch=" + batch + "&intake=jms", READER_KEY).json().get("items"))
                .hasSize(1);

        List<Map<String, String>> rows = ResultsFiles.parse(get("/api/batches/" + batch + "/results", READER_KEY)
                .body().getBytes(StandardCharsets.UTF_8));
        assertThat(rows).extracting(row -> row.get("row")).containsExactly("1", "2", "3", "4");
        assertThat(rows).extracting(row -> row.get("reference")).containsExactlyElementsOf(references);
        assertThat(rows.get(1)).containsEntry("status", "FAILED");
    }

    @Test
    void theListIsNewestFirstAndPagedWithoutRepeats() {
        String tag = "bl" + System.nanoTime() % 100_000;
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, tag + "-" + i);
            post("/api/payouts", withBatch(instruction(reference(tag), "8760673566", 50000), tag + "-" + i));
        }
        List<String> listed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            Response page = get("/api/batches?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), READER_KEY);
            assertThat(page.status()).isEqualTo(200);
            for (Map<String, Object> item : (List<Map<String, Object>>) page.json().get("items")) {
                assertThat(seen.add((String) item.get("id"))).as("repeated " + item.get("id")).isTrue();
                if (((String) item.get("id")).startsWith(tag)) {
                    listed.add((String) item.get("id"));
                }
            }
            cursor = (String) page.json().get("nextCursor");
        } while (cursor != null);
        assertThat(listed).containsExactlyElementsOf(created);

        assertThat(get("/api/batches?limit=0", READER_KEY).status()).isEqualTo(400);
        assertThat(get("/api/batches?status=FAILED", READER_KEY).json().get("problems")).asList()
                .containsExactly("status: unknown parameter; this endpoint takes limit, cursor");
        assertThat(get("/api/batches/" + tag + "-none", READER_KEY).status()).isEqualTo(404);
        assertThat(get("/api/batches/" + tag + "-none/results", READER_KEY).status()).isEqualTo(404);
    }

    private static String withBatch(String instruction, String batch) {
        return instruction.replace("}", ",\"batch\":\"" + batch + "\"}");
    }

    private void drop(String name, String content) throws IOException {
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
    }
}
