package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.PayoutQueries.Position;
import id.camelpayouts.ledger.PayoutQueries.Search;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * The ledger's side of operating payouts: what each change records in the history (from, to,
 * cause, who, the provider's words, a person's note), the search's pages through runs of one
 * instant and through a reference prefix too common for the primary key, and batches' counts.
 */
class PayoutQueriesTest {

    static final AtomicInteger DATABASES = new AtomicInteger();
    /** A prefix more payouts share than this is found by the creation-time index (10,000 in the gateway). */
    static final int BROAD_PREFIX = 200;
    HikariDataSource dataSource;
    PayoutLedgerTest.MutableClock clock = new PayoutLedgerTest.MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
    PayoutLedger ledger;
    PayoutQueries queries;

    /** A fresh in-memory H2; PostgresPayoutQueriesTest runs the same tests on PostgreSQL. */
    protected HikariDataSource newDataSource() {
        HikariDataSource h2 = new HikariDataSource();
        h2.setJdbcUrl("jdbc:h2:mem:queries" + DATABASES.incrementAndGet());
        return h2;
    }

    @BeforeEach
    void openLedger() {
        dataSource = newDataSource();
        LedgerSchema.apply(dataSource);
        ledger = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24)),
                "test-instance");
        queries = new PayoutQueries(ledger, BROAD_PREFIX);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void eachChangeRecordsItsCauseWhoAndTheStatusBefore() {
        ledger.submit(instruction("h1", 50000, null), new PayoutLedger.Origin("api", "erp"));
        Payout worker = ledger.claim("h1");
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "accountName", "Test Account"));
        assertThat(ledger.claimTransfer(worker)).isTrue();
        ledger.awaitStatus(worker, Map.of("responseCode", "TO", "responseDesc", "Timeout"), "outcome unknown (TO)");
        clock.advance(Duration.ofMinutes(1));
        Payout inquiry = ledger.claim("h1");
        ledger.succeed(inquiry, Map.of("responseCode", "00", "responseDesc", "Success"));

        List<Map<String, Object>> entries = queries.history("h1");
        assertThat(entries).extracting(e -> e.get("cause")).containsExactly("intake", "worker", "worker", "worker",
                "status-inquiry");
        assertThat(entries.get(0)).containsEntry("from", null).containsEntry("to", "PENDING").containsEntry("by", "erp")
                .containsEntry("detail", "received");
        assertThat(entries.get(3)).containsEntry("code", "TO").containsEntry("description", "Timeout")
                .containsEntry("detail", "outcome unknown (TO)").containsEntry("by", null);
        assertThat(entries.get(4)).containsEntry("from", "PENDING").containsEntry("to", "SUCCEEDED")
                .containsEntry("code", "00").containsEntry("description", "Success");
        assertThat(ledger.find("h1").getIntake()).isEqualTo("api");
        assertThat(ledger.find("h1").getSubmittedBy()).isEqualTo("erp");
        assertThat(queries.history("unknown")).isNull();
    }

    @Test
    void aChangeWithoutTheLeaseIsTheCallbacksUnlessAPersonSaysSo() {
        ledger.submit(instruction("c1", 50000, null));
        ledger.submit(instruction("c2", 50000, null));
        ledger.fail(ledger.find("c1"), Map.of("responseCode", "01"), "the provider's callback says failed");
        Payout byPerson = ledger.find("c2").changedBy(Payout.OPERATOR, "ops-anna", "the bank confirmed by phone");
        ledger.waitForWindow(byPerson, Duration.ofHours(1), "waiting for Bank Indonesia's window");
        ledger.fail(byPerson, Map.of(), "refused by the bank");

        assertThat(queries.history("c1").get(1)).containsEntry("cause", "callback").containsEntry("to", "FAILED");
        List<Map<String, Object>> entries = queries.history("c2");
        assertThat(entries.get(0)).containsEntry("cause", "intake").containsEntry("by", null);
        assertThat(entries.get(1)).containsEntry("cause", "operator").containsEntry("by", "ops-anna")
                .containsEntry("note", "the bank confirmed by phone");
        assertThat(entries.get(2)).as("a note is recorded once").containsEntry("cause", "operator")
                .containsEntry("note", null).containsEntry("from", "PENDING").containsEntry("to", "FAILED");
        assertThat(ledger.find("c2").getIntake()).isEqualTo("block");
    }

    @Test
    void pagesGoThroughRunsOfOneInstantAndThroughAPrefixTooCommonForTheKey() throws Exception {
        int rows = BROAD_PREFIX + 150;
        Instant newest = Instant.parse("2026-11-30T00:00:00Z");
        List<String[]> expected = new ArrayList<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO payouts (reference, fingerprint, instruction, amount, stage, status, intake, created_at,"
                        + " updated_at) VALUES (?, 'f', ?, 50000, 'FINAL', ?, 'api', ?, ?)")) {
            Instant created = newest;
            for (int i = 0; i < rows; i++) {
                created = i % 3 == 0 ? created.minusSeconds(7) : created; // runs of three at one instant
                String reference = String.format("bulk-%05d", i);
                insert.setString(1, reference);
                insert.setString(2, "{\"reference\":\"" + reference + "\",\"method\":\"AUTO\",\"bankCode\":\"014\","
                        + "\"accountNumber\":\"8760673566\",\"amount\":50000}");
                insert.setString(3, i % 2 == 0 ? Payout.SUCCEEDED : Payout.FAILED);
                insert.setObject(4, created.atOffset(ZoneOffset.UTC));
                insert.setObject(5, created.atOffset(ZoneOffset.UTC));
                insert.addBatch();
                expected.add(new String[] {created.toString(), reference, i % 2 == 0 ? "S" : "F"});
            }
            insert.executeBatch();
        }
        expected.sort(Comparator.<String[], Instant>comparing(row -> Instant.parse(row[0]))
                .thenComparing(row -> row[1]).reversed());
        List<String> all = expected.stream().map(row -> row[1]).toList();
        assertThat(traverse("bulk-", null, 17)).as("more than BROAD_PREFIX match").isEqualTo(all);
        assertThat(traverse("bulk-001", null, 7)).isEqualTo(all.stream().filter(r -> r.startsWith("bulk-001")).toList());
        assertThat(traverse("bulk-", Payout.FAILED, 13))
                .isEqualTo(expected.stream().filter(row -> row[2].equals("F")).map(row -> row[1]).toList());

        // '_' is a reference character, not a wildcard
        ledger.submit(instruction("u_1", 50000, null));
        ledger.submit(instruction("uX1", 50000, null));
        assertThat(traverse("u_", null, 10)).containsExactly("u_1");
    }

    @Test
    void aFilesBatchCountsItsRowsAndAnInstructionsBatchItsPayouts() {
        BatchLedger files = new BatchLedger(ledger);
        files.open("file-1", "payroll.csv", 3);
        ledger.submit(instruction("f1", 50000, "payroll.csv"), new PayoutLedger.Origin("file", null));
        ledger.submit(instruction("f2", 70000, "payroll.csv"), new PayoutLedger.Origin("file", null));
        files.recordRows("file-1", List.of(new BatchLedger.Row(1, "f1", null), new BatchLedger.Row(2, "f2", null),
                new BatchLedger.Row(3, null, Map.of("reference", "bad", "status", "REJECTED", "reason", "x"))));
        ledger.fail(ledger.find("f2"), Map.of(), "declined");
        assertThat(files.nameTaken("payroll.csv", "file-1")).isFalse();
        assertThat(files.nameTaken("payroll.csv", "file-2")).as("same name, other content").isTrue();

        PayoutQueries.Batch file = queries.batch("payroll.csv");
        assertThat(file.toMap()).containsEntry("intake", "file").containsEntry("rows", 3).containsEntry("final", 2)
                .containsEntry("progress", 0.6666).containsEntry("finishedAt", null);
        assertThat(file.counts()).containsEntry("PENDING", 1).containsEntry("FAILED", 1).containsEntry("REJECTED", 1);
        assertThat(file.amounts()).containsEntry("PENDING", 50000L).containsEntry("FAILED", 70000L)
                .containsEntry("REJECTED", 0L);

        clock.advance(Duration.ofSeconds(1));
        ledger.submit(instruction("o1", 10000, "orders-1"), new PayoutLedger.Origin("jms", null));
        ledger.submit(instruction("o2", 20000, "orders-1"), new PayoutLedger.Origin("api", "erp"));
        ledger.fail(ledger.find("o1"), Map.of(), "declined");
        assertThat(queries.batch("orders-1").toMap()).containsEntry("intake", "jms").containsEntry("rows", 2)
                .containsEntry("finishedAt", null);
        clock.advance(Duration.ofSeconds(1));
        ledger.reject(ledger.find("o2"), "name mismatch");
        assertThat(queries.batch("orders-1").toMap()).containsEntry("final", 2)
                .containsEntry("finishedAt", clock.instant().toString());
        assertThat(queries.batchOutcomes("orders-1")).extracting(o -> o.get("reference")).containsExactly("o1", "o2");
        assertThat(queries.isFileBatch("payroll.csv")).isTrue();
        assertThat(queries.isFileBatch("orders-1")).isFalse();

        PayoutQueries.Page<PayoutQueries.Batch> first = queries.batches(1, null);
        assertThat(first.items()).extracting(PayoutQueries.Batch::id).containsExactly("orders-1");
        PayoutQueries.Page<PayoutQueries.Batch> second = queries.batches(1, Position.ofCursor(first.nextCursor()));
        assertThat(second.items()).extracting(PayoutQueries.Batch::id).containsExactly("payroll.csv");
        assertThat(second.next()).isNull();
        assertThat(queries.batch("none")).isNull();
    }

    /**
     * A file's amounts count each of its payouts' money once: a row that repeats an earlier row's
     * reference (the same instruction twice in one file), or a payout of another batch (a file
     * dropped again under a new name), adds nothing, nor does a refused row; such rows are counted
     * apart (refusedRows, repeatedRows). Its counts stay its rows', as its results file shows them.
     */
    @Test
    void aFilesAmountsCountEachPayoutOnceAndItsRefusedAndRepeatedRowsApart() {
        BatchLedger files = new BatchLedger(ledger);
        ledger.submit(instruction("elsewhere", 90000, "june.csv"), new PayoutLedger.Origin("file", null));
        files.open("file-7", "july.csv", 5);
        ledger.submit(instruction("j1", 50000, "july.csv"), new PayoutLedger.Origin("file", null));
        ledger.submit(instruction("j2", 70000, "july.csv"), new PayoutLedger.Origin("file", null));
        assertThat(ledger.submit(instruction("j1", 50000, "july.csv"), new PayoutLedger.Origin("file", null)).kind())
                .isEqualTo(Submission.Kind.REPEATED);
        files.recordRows("file-7", List.of(new BatchLedger.Row(1, "j1", null), new BatchLedger.Row(2, "j2", null),
                new BatchLedger.Row(3, "j1", null), new BatchLedger.Row(4, "elsewhere", null),
                new BatchLedger.Row(5, null, Map.of("reference", "j2", "status", "REJECTED", "reason", "conflict"))));
        ledger.fail(ledger.find("j2"), Map.of(), "declined");

        PayoutQueries.Batch file = queries.batch("july.csv");
        assertThat(file.counts()).containsEntry("PENDING", 3).containsEntry("FAILED", 1).containsEntry("REJECTED", 1);
        assertThat(file.amounts()).containsEntry("PENDING", 50000L).containsEntry("FAILED", 70000L)
                .containsEntry("REJECTED", 0L);
        assertThat(file.toMap()).containsEntry("rows", 5).containsEntry("refusedRows", 1).containsEntry("repeatedRows", 2);

        ledger.submit(instruction("o9", 10000, "orders-9"), new PayoutLedger.Origin("api", "erp"));
        ledger.submit(instruction("o9", 10000, "orders-9"), new PayoutLedger.Origin("api", "erp"));
        PayoutQueries.Batch orders = queries.batch("orders-9");
        assertThat(orders.amounts()).containsEntry("PENDING", 10000L);
        assertThat(orders.toMap()).containsEntry("rows", 1).containsEntry("refusedRows", 0).containsEntry("repeatedRows", 0);
    }

    /** Every page of a search by prefix and status, following the cursor; fails on a repeat. */
    private List<String> traverse(String prefix, String status, int limit) {
        List<String> references = new ArrayList<>();
        Position after = null;
        do {
            PayoutQueries.Page<Payout> page = queries.search(new Search(status, null, null, null, null, null, null, null,
                    null, null, prefix, limit, after));
            page.items().forEach(payout -> {
                assertThat(references).doesNotContain(payout.getReference());
                references.add(payout.getReference());
            });
            after = page.next() == null ? null : Position.ofCursor(page.nextCursor());
        } while (after != null);
        return references;
    }

    /**
     * A batch's outcomes are read a page at a time (never the whole batch at once): across pages,
     * in the order they came in, each once, also when many came in the same instant.
     */
    @Test
    void aBatchsOutcomesAreReadAPageAtATimeInOrderEachOnce() {
        int count = PayoutQueries.OUTCOMES_PAGE * 2 + 3;
        java.util.List<String> submitted = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 700 == 0) {
                clock.advance(Duration.ofMillis(1)); // hundreds at one instant: the reference breaks the tie
            }
            String reference = String.format("pg-%05d", (i * 7919) % count); // not in the order of their names
            ledger.submit(instruction(reference, 10000, "paged"), new PayoutLedger.Origin("api", "erp"));
            submitted.add(reference);
        }
        java.util.List<java.util.Map<String, Object>> read = new java.util.ArrayList<>();
        queries.batchOutcomes("paged", read::add);
        assertThat(read).extracting(o -> o.get("row")).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, count).boxed().toList());
        java.util.List<String> expected = new java.util.ArrayList<>(submitted);
        // within an instant, by reference (as the search orders them)
        java.util.List<String> byInstantThenReference = new java.util.ArrayList<>();
        for (int from = 0; from < count; from += 700) {
            java.util.List<String> sameInstant = new java.util.ArrayList<>(expected.subList(from, Math.min(count, from + 700)));
            java.util.Collections.sort(sameInstant);
            byInstantThenReference.addAll(sameInstant);
        }
        assertThat(read).extracting(o -> o.get("reference")).containsExactlyElementsOf(byInstantThenReference);
        assertThat(queries.batchSize("paged")).isEqualTo(count);
        assertThat(queries.batchSize("no-such-batch")).isZero();
    }

    static PayoutInstruction instruction(String reference, long amount, String batch) {
        PayoutInstruction instruction = new InstructionParser().parse(Map.of("reference", reference, "bankCode", "014",
                "accountNumber", "8760673566", "amount", amount)).instruction();
        return batch == null ? instruction : instruction.inBatch(batch);
    }
}
