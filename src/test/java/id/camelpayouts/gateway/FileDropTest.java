package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.SplitDefinition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import id.camelpayouts.files.PayoutFiles;
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
    void cellsASpreadsheetWouldRunAsFormulasAreWrittenAsText() throws Exception {
        String tag = "formula" + System.nanoTime() % 100000;
        List<String> references = List.of("-" + tag + "-A1", "=HYPERLINK(\"http://evil.example\",\"open\")",
                "+1+1", "@SUM(A1:A9)"); // a tab or CR in front is trimmed by the reader; ResultsCsvTest has them
        drop(tag + ".json", JSON.writeValueAsString(references.stream().map(reference -> Map.of("reference", reference,
                "bankCode", "002", "accountNumber", "4200000001", "amount", 50000)).toList()));

        List<Map<String, String>> results = awaitResults(tag + ".json", references.size(), Duration.ofSeconds(20));

        // a valid reference starting with '-' is paid, and written with the spreadsheet-safe quote (only
        // in the file); the others are not references at all, and an invalid reference is never
        // echoed (the row number says which row was refused)
        assertThat(results).extracting(r -> r.get("reference")).containsExactly("'" + references.get(0), "", "", "");
        assertThat(results).extracting(r -> r.get("status"))
                .containsExactly("SUCCEEDED", "REJECTED", "REJECTED", "REJECTED");
        assertThat(ledger.find(references.get(0)).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    @Test
    void aFileThatCannotBeReadGoesToErrorWithANoteSayingWhy() throws Exception {
        String name = "broken" + System.nanoTime() % 100000 + ".csv";
        drop(name, "name;iban;sum\nx;y;z\n");
        Path refused = awaitRefusedFile(name);
        assertThat(Files.readString(noteOf(refused))).contains("header row must name the instruction's fields");
        assertThat(Files.readString(refused)).isEqualTo("name;iban;sum\nx;y;z\n");
        assertThat(outbox.resolve(name + ".results.csv")).doesNotExist();
    }

    @Test
    void aFileStillBeingWrittenIsReadOnlyWhenComplete() throws Exception {
        String name = "slow" + System.nanoTime() % 100000 + ".csv";
        Files.createDirectories(inbox);
        Path file = inbox.resolve(name);
        long previousBegan = System.nanoTime();
        Files.writeString(file, "reference,bankCode,accountNumber,amount\n");
        long longestUnchanged = 0;
        for (int i = 1; i <= 8; i++) {
            Thread.sleep(50); // well under payouts.files.settle-time (300 ms here) between writes
            long began = System.nanoTime();
            try {
                Files.writeString(file, name + "-" + i + ",014,8760673566,50000\n", StandardOpenOption.APPEND);
            } catch (NoSuchFileException taken) {
                // Taken while still written. Right only if this writer really paused for the settle
                // time (a machine loaded by other processes can stall a thread that long). The file is
                // read where it lies and moved away only once paid, so the writes just before this
                // one may have come after it was taken: the pause that let it be taken may be any
                // earlier one. Between two writes the file stood unchanged at most from the start of
                // the one to the end of the next; the gateway may see up to a tick of the kernel's
                // coarse file clock (10 ms at most) more.
                long unchanged = Math.max(longestUnchanged, System.nanoTime() - previousBegan);
                long paused = Duration.ofNanos(unchanged).toMillis();
                assertThat(paused).as("file taken, its longest pause between two writes %d ms", paused)
                        .isGreaterThanOrEqualTo(300 - 10);
                Assumptions.abort("this writer stalled " + paused + " ms, longer than the settle time");
            }
            longestUnchanged = Math.max(longestUnchanged, System.nanoTime() - previousBegan);
            previousBegan = began;
        }
        List<Map<String, String>> results = awaitResults(name, 8, Duration.ofSeconds(20));
        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aFileWrittenInPlaceWithADoneMarkerAfterItIsPaidAndItsMarkerRemoved() throws Exception {
        String name = "marked" + System.nanoTime() % 100000 + ".csv";
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve(name), "reference,bankCode,accountNumber,amount\n"
                + name + "-1,014,8760673566,50000\n" + name + "-2,014,8760673566,60000\n");
        Files.writeString(inbox.resolve(name + ".done"), "");

        List<Map<String, String>> results = awaitResults(name, 2, Duration.ofSeconds(20));

        assertThat(results).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        await().atMost(Duration.ofSeconds(5)).until(() -> countDone(name) == 1);
        assertThat(inbox.resolve(name + ".done")).doesNotExist();
        assertThat(inbox.resolve(name)).doesNotExist();
    }

    /**
     * Whoever polls the outbox (an ERP job, a file watcher, a person's script) may read the results
     * file at any instant while it is rewritten: it finds the previous or the next version, whole,
     * never no file and never part of one. Read here in a tight loop while a big file is paid; the
     * directory is watched as well, since a short gap can fall between two reads: a deletion of the
     * results file's name is a moment when it was missing, even if no read saw it.
     */
    @Test
    void theResultsFileIsNeverMissingNorHalfWrittenWhileABigFileIsPaid() throws Exception {
        String name = "watched" + System.nanoTime() % 100000 + ".csv";
        int rowCount = 500;
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= rowCount; i++) {
            csv.append(name).append('-').append(i).append(",002,").append(4100000000L + i).append(',')
                    .append(10000 + i).append('\n');
        }
        Files.createDirectories(outbox);
        try (WatchService outboxWatch = FileSystems.getDefault().newWatchService()) {
            outbox.register(outboxWatch, StandardWatchEventKinds.ENTRY_DELETE);
            drop(name, csv.toString());
            Path results = outbox.resolve(name + ".results.csv");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> Files.exists(results));

            Readings readings = readUntilFinal(results, rowCount, outboxWatch, Duration.ofSeconds(90));

            assertThat(readings.missing()).as("reads that found no results file (of %d)", readings.reads()).isZero();
            assertThat(readings.deletions()).as("times the results file was deleted").isZero();
            assertThat(readings.halfWritten()).as("versions that were not a whole results file").isEmpty();
            assertThat(readings.finalRows()).as("every row final within the deadline").isEqualTo(rowCount);
            assertThat(readings.versions()).as("versions read: the file was rewritten while it was read")
                    .isGreaterThan(2);
        }
    }

    /** What a reader polling a results file saw, and how often its name was deleted meanwhile. */
    record Readings(int reads, int missing, int deletions, int versions, List<String> halfWritten, int finalRows) {
    }

    /** Reads {@code results} in a tight loop until it shows {@code rowCount} final rows, or the deadline. */
    private static Readings readUntilFinal(Path results, int rowCount, WatchService outboxWatch, Duration atMost)
            throws IOException {
        int reads = 0;
        int missing = 0;
        int deletions = 0;
        int versions = 0;
        List<String> halfWritten = new ArrayList<>();
        byte[] previous = new byte[0];
        int previousRows = 0;
        int finalRows = 0;
        long deadline = System.nanoTime() + atMost.toNanos();
        while (finalRows < rowCount && System.nanoTime() < deadline) {
            deletions += deletionsOf(results.getFileName().toString(), outboxWatch);
            reads++;
            byte[] content;
            try {
                content = Files.readAllBytes(results);
            } catch (NoSuchFileException gone) {
                missing++;
                continue;
            } finally {
                Thread.yield(); // tight, but the gateway paying the file shares the test's cores
            }
            if (Arrays.equals(content, previous)) {
                continue;
            }
            versions++;
            previous = content;
            List<Map<String, String>> rows = new ArrayList<>();
            String problem = wholeResultsProblem(content, rows, previousRows);
            if (problem != null) {
                halfWritten.add("version " + versions + ": " + problem);
                continue;
            }
            previousRows = rows.size();
            finalRows = (int) rows.stream().filter(r -> !Payout.PENDING.equals(r.get("status"))).count();
        }
        deletions += deletionsOf(results.getFileName().toString(), outboxWatch);
        return new Readings(reads, missing, deletions, versions, halfWritten, finalRows);
    }

    /** Deletions of {@code fileName} reported by the watch since it was last asked. */
    private static int deletionsOf(String fileName, WatchService watch) {
        int deletions = 0;
        for (WatchKey key = watch.poll(); key != null; key = watch.poll()) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    throw new IllegalStateException("events of the outbox were lost: deletions cannot be told");
                }
                if (fileName.equals(String.valueOf(event.context()))) {
                    deletions += event.count();
                }
            }
            key.reset();
        }
        return deletions;
    }

    /**
     * Why {@code content} is not a whole results file with at least {@code atLeastRows} rows, or null
     * (then its rows are in {@code rows}).
     */
    private static String wholeResultsProblem(byte[] content, List<Map<String, String>> rows, int atLeastRows) {
        if (content.length == 0 || content[content.length - 1] != '\n') {
            return "does not end with a line break (" + content.length + " bytes)";
        }
        try {
            rows.addAll(ResultsFiles.parse(content));
        } catch (IOException unparsable) {
            return "not CSV: " + unparsable.getMessage();
        }
        if (rows.size() < atLeastRows) {
            return rows.size() + " rows after " + atLeastRows;
        }
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            if (!row.keySet().equals(Set.copyOf(PayoutFiles.RESULT_COLUMNS))
                    || !row.get("row").equals(String.valueOf(i + 1))) {
                return "row " + (i + 1) + " is " + row;
            }
        }
        return null;
    }

    /**
     * A file's rows are taken in faster than they are paid, so most of a big file waits for a
     * worker: what waits must be the reference alone, not a copy of the row's exchange (the file's
     * headers, the instruction, the intake's answer), and the file must be read one row at a time.
     * Both held a 40,000-row file's rows in memory at once and filled the default heap (256 MiB):
     * the ledger then closed and nothing more was paid.
     */
    @Test
    void rowsWaitingForAWorkerHoldTheirReferenceOnlyAndTheFileIsReadRowByRow() throws Exception {
        String tag = "wait" + System.nanoTime() % 100000;
        int count = 2000;
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= count; i++) {
            csv.append(tag).append('-').append(i).append(",002,").append(4100000000L + i).append(',')
                    .append(10000 + i).append('\n');
        }
        int executedBefore = twin.transfersExecuted();
        SedaEndpoint work = context.getEndpoint("seda:payout-work", SedaEndpoint.class);
        context.getRouteController().suspendRoute("route-payout");
        try {
            drop(tag + ".csv", csv.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(inbox.resolve("done"))
                    && countDone(tag + ".csv") == 1);
            // (a worker that was already waiting on the queue when its route was suspended takes one)
            List<Exchange> waiting = new ArrayList<>(work.getQueue());
            assertThat(waiting).hasSizeGreaterThan(count - 100);
            for (Exchange queued : waiting) {
                assertThat(queued.getMessage().getBody()).isInstanceOf(String.class);
                assertThat(queued.getVariables().keySet()).as("variables waiting with %s", queued.getMessage().getBody())
                        .isEmpty();
                assertThat(queued.getMessage().getHeaders().keySet()).isEmpty();
            }
        } finally {
            context.getRouteController().resumeRoute("route-payout");
        }
        List<Map<String, String>> results = awaitResults(tag + ".csv", count, Duration.ofSeconds(120));
        assertThat(results).allSatisfy(row -> assertThat(row.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(twin.transfersExecuted() - executedBefore).isEqualTo(count);
        // read row by row: a split that is not streaming makes every row's exchange before the first is taken in
        SplitDefinition split = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition("file-drop-payouts").getOutputs().stream()
                .flatMap(FileDropTest::withNested).filter(SplitDefinition.class::isInstance)
                .map(SplitDefinition.class::cast).findFirst().orElseThrow();
        assertThat(split.getStreaming()).isEqualTo("true");
    }

    private static Stream<ProcessorDefinition<?>> withNested(ProcessorDefinition<?> step) {
        return Stream.concat(Stream.of(step), step.getOutputs().stream().flatMap(FileDropTest::withNested));
    }

    private void drop(String name, String content) throws IOException {
        // written under another name and renamed, as a well-behaved sender does; the settle time covers the rest
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
    }

    /**
     * Waits until the results file has {@code rows} rows, all final, and returns that reading (each
     * reading is one whole copy of the file: a rewrite in between cannot mix two versions).
     */
    private List<Map<String, String>> awaitResults(String name, int rows, Duration atMost) {
        Path results = outbox.resolve(name + ".results.csv");
        return await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> ResultsFiles.read(results),
                read -> read.size() == rows && read.stream().noneMatch(r -> Payout.PENDING.equals(r.get("status"))));
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
