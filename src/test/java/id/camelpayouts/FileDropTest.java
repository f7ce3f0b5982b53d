package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

class FileDropTest extends GatewayTestSupport {

    /** What a row of the mixed file is, and the status it must end with. */
    record Row(String csv, String reference, String expected, boolean movesMoney) {
    }

    @Test
    void aThousandMixedRowsEachEndOnceInTheResultsAndMoneyMovesOncePerValidRow() throws Exception {
        String tag = "mix" + System.nanoTime() % 100000;
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            String ref = tag + "-" + i;
            rows.add(switch (i % 10) {
                case 1 -> new Row(ref + ",014,12-34,,abc,", ref, "REJECTED", false);           // every problem named
                case 2 -> new Row(ref + ",014,8760673562,,50000,", ref, "FAILED", false);     // transfer -510
                // transfer LD: not a refusal, the status decides; the twin never executed it (not found, grace 0 s)
                case 3 -> new Row(ref + ",014,8760673559,,50000,", ref, "FAILED", false);
                case 4 -> new Row(ref + ",014,8760673561,,50000,", ref, "SUCCEEDED", true);   // TO, reconciled
                case 5 -> new Row(ref + ",014,8760673511,,50000,", ref, "FAILED", false);     // inquiry TO
                default -> new Row(ref + ",002," + (4000000000L + i) + ",," + (10000 + i) + ",salary", ref,
                        "SUCCEEDED", true);
            });
        }
        int executedBefore = twin.transfersExecuted();
        String name = tag + ".csv";
        drop(name, "reference,bankCode,accountNumber,accountName,amount,purpose\n"
                + String.join("\n", rows.stream().map(Row::csv).toList()) + "\n");

        List<Map<String, String>> results = awaitResults(name, 1000, Duration.ofSeconds(90));

        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            Map<String, String> result = results.get(i);
            Row row = rows.get(i);
            assertThat(result.get("row")).isEqualTo(String.valueOf(i + 1));
            assertThat(result.get("reference")).isEqualTo(row.reference());
            assertThat(result.get("status")).as(row.csv()).isEqualTo(row.expected());
        }
        assertThat(results.get(0).get("reason"))
                .isEqualTo("accountNumber: must be 5-34 digits; amount: must be a positive whole number of rupiah");
        long moving = rows.stream().filter(Row::movesMoney).count();
        assertThat(twin.transfersExecuted() - executedBefore).isEqualTo(moving);
        for (Map<String, String> result : results) {
            if (!result.get("providerReference").isEmpty()) {
                assertThat(twin.transfersExecuted(result.get("providerReference"))).isLessThanOrEqualTo(1);
            }
        }
        assertThat(inbox.resolve("done")).isDirectoryContaining(path -> path.toString().endsWith(name));

        // dropped again: every row is a repeat, nothing is paid twice, the results say the same
        drop(name, Files.readString(inbox.resolve("done").resolve(doneName(name))));
        await().atMost(Duration.ofSeconds(30)).until(() -> countDone(name) == 2);
        List<Map<String, String>> again = awaitResults(name, 1000, Duration.ofSeconds(30));
        assertThat(again).extracting(r -> r.get("status")).isEqualTo(results.stream().map(r -> r.get("status")).toList());
        assertThat(twin.transfersExecuted() - executedBefore).isEqualTo(moving);
    }

    @Test
    void jsonArraysAndJsonLinesAreReadAndABadLineIsRefusedAlone() throws Exception {
        String tag = "json" + System.nanoTime() % 100000;
        drop(tag + "-array.json", "[{\"reference\":\"" + tag + "-a1\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"8760673566\",\"amount\":50000},{\"reference\":\"" + tag + "-a2\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"8760673566\",\"amount\":50000.0}]");
        drop(tag + "-lines.json", "{\"reference\":\"" + tag + "-l1\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"8760673566\",\"amount\":50000}\nthis line is not json\n\n{\"reference\":\"" + tag + "-l2\","
                + "\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":70000}\n");

        assertThat(awaitResults(tag + "-array.json", 2, Duration.ofSeconds(20)))
                .extracting(r -> r.get("status")).containsExactly("SUCCEEDED", "SUCCEEDED");
        List<Map<String, String>> lines = awaitResults(tag + "-lines.json", 3, Duration.ofSeconds(20));
        assertThat(lines).extracting(r -> r.get("status")).containsExactly("SUCCEEDED", "REJECTED", "SUCCEEDED");
        assertThat(lines.get(1).get("reason")).contains("must be a JSON object");
    }

    @Test
    void aFileThatCannotBeReadGoesToErrorWithANoteSayingWhy() throws Exception {
        String name = "broken" + System.nanoTime() % 100000 + ".csv";
        drop(name, "name;iban;sum\nx;y;z\n");
        Path note = inbox.resolve("error").resolve(name + ".why.txt");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(note));
        assertThat(Files.readString(note)).contains("header row must name the instruction's fields");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(inbox.resolve("error").resolve(name)));
        assertThat(outbox.resolve(name + ".results.csv")).doesNotExist();
    }

    @Test
    void aFileStillBeingWrittenIsReadOnlyWhenComplete() throws Exception {
        String name = "slow" + System.nanoTime() % 100000 + ".csv";
        Files.createDirectories(inbox);
        Path file = inbox.resolve(name);
        Files.writeString(file, "reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= 8; i++) {
            Thread.sleep(150); // less than payouts.files.settle-time between writes
            Files.writeString(file, name + "-" + i + ",014,8760673566,50000\n", StandardOpenOption.APPEND);
        }
        List<Map<String, String>> results = awaitResults(name, 8, Duration.ofSeconds(20));
        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    private void drop(String name, String content) throws IOException {
        // written under another name and renamed, as a well-behaved sender does; the settle time covers the rest
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
    }

    /** Waits until the results file has {@code rows} rows, all final, and returns them. */
    private List<Map<String, String>> awaitResults(String name, int rows, Duration atMost) throws IOException {
        Path results = outbox.resolve(name + ".results.csv");
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, String>> read = readCsv(results);
            return read.size() == rows && read.stream().noneMatch(r -> Payout.PENDING.equals(r.get("status")));
        });
        return readCsv(results);
    }

    private static List<Map<String, String>> readCsv(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            List<Map<String, String>> rows = new ArrayList<>();
            it.forEachRemaining(row -> rows.add(new LinkedHashMap<>(row)));
            return rows;
        }
    }

    private long countDone(String name) throws IOException {
        try (Stream<Path> done = Files.list(inbox.resolve("done"))) {
            return done.filter(path -> path.getFileName().toString().endsWith("-" + name)).count();
        }
    }

    private String doneName(String name) throws IOException {
        try (Stream<Path> done = Files.list(inbox.resolve("done"))) {
            return done.map(path -> path.getFileName().toString()).filter(n -> n.endsWith("-" + name)).findFirst()
                    .orElseThrow();
        }
    }
}
