package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the inbox refuses, and how: each refused file goes to error/ with a note saying why, without
 * its content reaching the note or the log, and without delaying the files beside it.
 */
class InboxRefusalsTest extends GatewayTestSupport {

    final CapturedLog log = CapturedLog.attach("inbox-refusals-capture");

    /** Small limits, so that a file over them is quick to write (the defaults are 20 MiB and 100,000 rows). */
    InboxRefusalsTest() {
        System.setProperty("payouts.files.max-bytes", "4096");
        System.setProperty("payouts.files.max-rows", "20");
    }

    @AfterAll
    void detachLog() {
        log.detach();
        System.clearProperty("payouts.files.max-bytes");
        System.clearProperty("payouts.files.max-rows");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWholeBeforeItIsReadAndTheFileBesideItIsPaid() throws Exception {
        String big = "big-" + System.nanoTime() % 100000 + ".csv";
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount,purpose\n");
        for (int i = 1; csv.length() <= 4096; i++) {
            csv.append(big, 0, big.length() - 4).append('-').append(i).append(",014,8760673566,50000,")
                    .append("x".repeat(200)).append('\n');
        }
        drop(big, csv.toString());
        String beside = "beside-big-" + System.nanoTime() % 100000 + ".csv";
        String reference = reference("beside-big");
        drop(beside, "reference,bankCode,accountNumber,amount\n" + reference + ",014,8760673566,50000\n");

        String why = awaitRefused(big);
        assertThat(why).contains("larger than payouts.files.max-bytes (4096 bytes)").contains("nothing in it was paid");
        assertThat(ledger.find(big.substring(0, big.length() - 4) + "-1")).as("no row taken in").isNull();
        assertThat(Files.readString(awaitRefusedFile(big))).as("the file kept as it came")
                .isEqualTo(csv.toString());
        assertThat(awaitFinal(reference).getStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aFileWithMoreRowsThanTheLimitIsRefusedWholeAndNothingInItIsPaid() throws Exception {
        String name = "many-" + System.nanoTime() % 100000 + ".csv";
        String prefix = name.substring(0, name.length() - 4);
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= 21; i++) {
            csv.append(prefix).append('-').append(i).append(",014,8760673566,50000\n");
        }
        drop(name, csv.toString());

        String why = awaitRefused(name);
        assertThat(why).contains("more rows than payouts.files.max-rows (20)").contains("nothing in it was paid");
        for (int i = 1; i <= 21; i++) {
            assertThat(ledger.find(prefix + "-" + i)).isNull();
        }
    }

    @Test
    void aCsvWithoutAHeaderRowIsRefusedWithoutEchoingItsFirstRow() throws Exception {
        String name = "no-header-" + System.nanoTime() % 100000 + ".csv";
        drop(name, "nh-1,014,8760673566123,Siti Rahayu,50000\nnh-2,014,8760673566124,Budi,60000\n");

        String why = awaitRefused(name);
        assertThat(why).contains("the first row is not a header")
                .contains("reference, bankCode, accountNumber, amount");
        assertThat(why + String.join("\n", log.lines())).doesNotContain("8760673566123").doesNotContain("Siti")
                .doesNotContain("nh-1");
    }

    @Test
    void aSymbolicLinkInTheInboxIsMovedToErrorWithoutBeingRead() throws Exception {
        Path elsewhere = Files.createDirectories(workDir.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("private.csv"), "host-secret-7d1e\n");
        String name = "link-" + System.nanoTime() % 100000 + ".csv";
        Files.createDirectories(inbox);
        Files.createSymbolicLink(inbox.resolve(name), target.toAbsolutePath());

        String why = awaitRefused(name);
        assertThat(why).contains("a symbolic link");
        assertThat(Files.isSymbolicLink(awaitRefusedFile(name))).as("the link itself moved").isTrue();
        assertThat(Files.readString(target)).as("the target untouched").isEqualTo("host-secret-7d1e\n");
        assertThat(why + String.join("\n", log.lines())).doesNotContain("host-secret-7d1e");
    }

    @Test
    void anEmptyFileIsRefusedAtOnceAndDelaysNothing() throws Exception {
        String empty = "empty-" + System.nanoTime() % 100000 + ".csv";
        drop(empty, "");
        Thread.sleep(1500); // the inbox has seen it
        String normal = "beside-empty-" + System.nanoTime() % 100000 + ".csv";
        String reference = reference("beside-empty");
        long dropped = System.nanoTime();
        drop(normal, "reference,bankCode,accountNumber,amount\n" + reference + ",014,8760673566,50000\n");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledger.find(reference) != null);
        assertThat(Duration.ofNanos(System.nanoTime() - dropped)).as("taken in promptly")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(awaitRefused(empty)).contains("the file is empty");
        assertThat(inbox.resolve(empty)).doesNotExist();
        assertThat(awaitFinal(reference).getStatus()).isEqualTo("SUCCEEDED");
    }

    /**
     * A row with bytes that are not UTF-8 (a name typed in Windows-1252 into a UTF-8 file) is
     * REJECTED with its reason, and the rows beside it are paid: the whole file used to be refused
     * ("not UTF-8 text", without saying where), its good rows with it.
     */
    @Test
    void aRowThatIsNotUtf8IsRejectedAndTheRowsBesideItArePaid() throws Exception {
        String name = "mixed-" + System.nanoTime() % 100000 + ".csv";
        String good = reference("mixed-good");
        String latin = reference("mixed-latin");
        String last = reference("mixed-last");
        byte[] content = ("reference,bankCode,accountNumber,amount,senderName\n"
                + good + ",014,8760673566,50000,Budi\n"
                + latin + ",014,8760673566,50000,Jos\u00e9\n"
                + last + ",014,8760673566,50000,Siti\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.write(temp, content);
        Files.move(temp, inbox.resolve(name));

        assertThat(awaitFinal(good).getStatus()).isEqualTo("SUCCEEDED");
        assertThat(awaitFinal(last).getStatus()).isEqualTo("SUCCEEDED");
        assertThat(ledger.find(latin)).as("the row that is not UTF-8").isNull();
        Path results = outbox.resolve(name + ".results.csv");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(results)
                && ResultsFiles.read(results).stream().filter(row -> "SUCCEEDED".equals(row.get("status"))).count() == 2);
        assertThat(ResultsFiles.read(results)).filteredOn(row -> "2".equals(row.get("row"))).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("status")).isEqualTo("REJECTED");
                    assertThat(row.get("reason")).contains("senderName").contains("UTF-8");
                });
    }

    /**
     * A name with a line break was never picked up (left in the inbox, unsaid); one with an escape
     * sequence was logged raw; one of 200 bytes was paid, but its results file could never be
     * written (a stack trace every half second, for ever). Each is refused for its name, with its
     * note, and the file beside them is paid.
     */
    @Test
    void aFileWithAnUnfitNameIsRefusedWithItsNoteAndNothingInItIsPaid() throws Exception {
        String tag = String.valueOf(System.nanoTime() % 100000);
        String[] names = {"line\r\nINFO forged-" + tag + ".csv", "esc\u001b[31m-" + tag + ".csv",
                "rtl\u202e-" + tag + ".csv", "L".repeat(200) + tag + ".csv"};
        java.util.List<String> references = new java.util.ArrayList<>();
        int logged = log.lines().size();
        for (String name : names) {
            String reference = reference("unfit-name");
            references.add(reference);
            drop(name, "reference,bankCode,accountNumber,amount\n" + reference + ",014,8760673566,50000\n");
        }
        String beside = reference("beside-unfit");
        drop("beside-unfit-" + tag + ".csv", "reference,bankCode,accountNumber,amount\n" + beside + ",014,8760673566,50000\n");

        assertThat(awaitFinal(beside).getStatus()).isEqualTo("SUCCEEDED");
        for (String name : names) {
            assertThat(Files.readString(noteOf(awaitRefusedFile(name)))).contains("name");
        }
        references.forEach(reference -> assertThat(ledger.find(reference)).as(reference).isNull());
        java.util.List<String> lines = new java.util.ArrayList<>(log.lines());
        assertThat(lines.subList(logged, lines.size())).allSatisfy(line -> assertThat(line)
                .doesNotContain("\r", "\n", "\u001b", "\u202e").doesNotContain("Cannot store file"));
    }

    /**
     * A JSON row giving the amount twice is REJECTED, as the API refuses it (a file's rows were read
     * leniently: the last amount was paid); the rows beside it are paid. A CSV header of more than
     * 64 columns is refused whole (a file of a million columns ended the gateway, at every start).
     */
    @Test
    void aJsonRowWithTheAmountTwiceIsRejectedAndAHeaderOfTooManyColumnsIsRefused() throws Exception {
        String tag = String.valueOf(System.nanoTime() % 100000);
        String twice = reference("twice-lines");
        String twiceInArray = reference("twice-array");
        String good = reference("twice-good");
        drop("twice-" + tag + ".json", "{\"reference\":\"" + twice + "\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\","
                + "\"amount\":50000,\"amount\":90000000}\n" + instruction(good, "8760673566", 50000) + "\n");
        drop("twice-array-" + tag + ".json", "[{\"reference\":\"" + twiceInArray + "\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"8760673566\",\"amount\":50000,\"amount\":90000000}]");
        String wide = "wide-" + tag + ".csv";
        drop(wide, "reference,amount," + "c,".repeat(100) + "\nr,50000\n");

        assertThat(awaitFinal(good).getStatus()).isEqualTo("SUCCEEDED");
        assertThat(awaitRefused(wide)).contains("more than 64 columns");
        for (String file : new String[] {"twice-" + tag + ".json", "twice-array-" + tag + ".json"}) {
            assertThat(awaitRejectedRow(file, 1)).contains("amount appears more than once");
        }
        assertThat(ledger.find(twice)).isNull();
        assertThat(ledger.find(twiceInArray)).isNull();
    }

    /**
     * A CSV header naming a field twice (amount, or amount and " amount") was read with the last
     * column winning: a file whose reviewer saw Rp50,000 in the first amount column paid
     * Rp90,000,000 from the second. Such a file is refused whole, as a JSON row giving a field
     * twice is; the file beside it is paid.
     */
    @Test
    void aCsvHeaderNamingAFieldTwiceIsRefusedWholeAndNothingInItIsPaid() throws Exception {
        java.util.Map<String, String> headers = java.util.Map.of(
                "names amount twice (columns 4 and 5)", "reference,bankCode,accountNumber,amount,amount\n"
                        + "%s,014,8760673566,50000,90000000\n",
                "names accountNumber twice (columns 2 and 5)", "reference,accountNumber,bankCode,amount,accountNumber \n"
                        + "%s,8760673566,014,50000,8760673567\n");
        java.util.Map<String, String> dropped = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, String> header : headers.entrySet()) {
            String reference = reference("header-twice");
            String name = reference + ".csv";
            drop(name, String.format(header.getValue(), reference));
            dropped.put(name, header.getKey());
        }
        String good = reference("header-good");
        drop(good + ".csv", "reference,bankCode,accountNumber,amount\n" + good + ",014,8760673566,50000\n");

        assertThat(awaitFinal(good).getStatus()).isEqualTo("SUCCEEDED");
        for (java.util.Map.Entry<String, String> file : dropped.entrySet()) {
            assertThat(awaitRefused(file.getKey())).contains(file.getValue()).contains("nothing in it was paid")
                    .doesNotContain("8760673566");
            assertThat(ledger.find(file.getKey().replace(".csv", ""))).as("no row taken in").isNull();
        }
    }

    /**
     * A spreadsheet's export often ends every line with a comma: a header cell that names nothing.
     * Its empty cells were an unknown field "" that REJECTED every row; they are nothing now, and a
     * value under such a column is still a problem of its row.
     */
    @Test
    void aColumnWithoutANameIsIgnoredWhileItsCellsAreEmpty() throws Exception {
        String tag = String.valueOf(System.nanoTime() % 100000);
        String empty = reference("unnamed-empty");
        String filled = reference("unnamed-filled");
        String name = "unnamed-" + tag + ".csv";
        drop(name, "reference,bankCode,accountNumber,amount,\n" + empty + ",014,8760673566,50000,\n"
                + filled + ",014,8760673566,50000,70000\n");

        assertThat(awaitFinal(empty).getStatus()).isEqualTo("SUCCEEDED");
        assertThat(awaitRejectedRow(name, 2)).contains("column 5 (no header)");
        assertThat(ledger.find(filled)).isNull();
    }

    /** A named pipe called x.csv was read, and the read waited for a writer for ever: no file after it was taken. */
    @Test
    void aNamedPipeIsRefusedUnreadAndTheFileAfterItIsPaid() throws Exception {
        String pipe = "pipe-" + System.nanoTime() % 100000 + ".csv";
        Files.createDirectories(inbox);
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", inbox.resolve(pipe).toString()).start();
        } catch (IOException noMkfifo) {
            org.junit.jupiter.api.Assumptions.abort("mkfifo is not available");
            return;
        }
        assertThat(mkfifo.waitFor()).isZero();
        Thread.sleep(1500); // the inbox has taken it
        String reference = reference("after-pipe");
        drop("after-pipe-" + System.nanoTime() % 100000 + ".csv",
                "reference,bankCode,accountNumber,amount\n" + reference + ",014,8760673566,50000\n");

        assertThat(awaitFinal(reference).getStatus()).isEqualTo("SUCCEEDED");
        assertThat(awaitRefused(pipe)).contains("not a regular file");
    }

    /** Waits until the file's results have a REJECTED row, and returns the reason of the row numbered so. */
    private String awaitRejectedRow(String file, int number) throws IOException {
        Path results = outbox.resolve(file + ".results.csv");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(results)
                && ResultsFiles.read(results).stream().anyMatch(row -> "REJECTED".equals(row.get("status"))));
        return ResultsFiles.read(results).stream().filter(row -> String.valueOf(number).equals(row.get("row")))
                .findFirst().orElseThrow().get("reason");
    }

    /** Waits until the file is in error/ with its note, and returns the note. */
    private String awaitRefused(String name) throws IOException {
        return Files.readString(noteOf(awaitRefusedFile(name)));
    }

    /** A file refused again under the same name is kept beside the first, each with its own note. */
    @Test
    void aFileRefusedAgainUnderTheSameNameKeepsTheFirstAndItsNote() throws Exception {
        String name = "again-" + System.nanoTime() % 100000 + ".csv";
        drop(name, "first;file\n");
        Path first = awaitRefusedFile(name);
        drop(name, "second;file\n");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> refusedFiles(name).size() == 2 && refusedFiles(name).stream()
                        .allMatch(file -> Files.exists(noteOf(file))));
        List<Path> refused = refusedFiles(name);
        assertThat(refused).contains(first);
        assertThat(refused).extracting(file -> Files.readString(file))
                .containsExactlyInAnyOrder("first;file\n", "second;file\n");
        for (Path file : refused) {
            assertThat(Files.readString(noteOf(file))).startsWith(name + " was not processed: ");
        }
    }

    private void drop(String name, String content) throws IOException {
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
    }
}
