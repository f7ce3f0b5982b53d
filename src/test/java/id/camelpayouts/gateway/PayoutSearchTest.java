package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import id.camelpayouts.ledger.Payout;

/**
 * GET /api/payouts against a ledger of a few thousand payouts: every filter, alone and together,
 * read page by page through the API and compared with the ledger itself, filtered and ordered
 * here. Page boundaries fall inside runs of payouts created at the same instant; a traversal
 * must repeat and skip nothing, stay newest first, and keep its course while payouts arrive.
 *
 * The ledger is filled directly (thousands of payouts through the twin would take minutes): the
 * fixture payouts are final, or PENDING and not due for a day, so no worker changes them while
 * the search is read; a few come in through the API and the file drop as well.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings("unchecked")
class PayoutSearchTest extends GatewayTestSupport {

    static final int FIXTURE = 3000;
    static final List<String> INTAKES = List.of("api", "file", "jms", "block");
    static final List<String> METHODS = List.of("ONLINE", "BIFAST", "H2H", "LLG");

    @BeanInject("payoutsDataSource")
    DataSource dataSource;

    private final String tag = "srch" + System.nanoTime() % 1_000_000;
    private Instant oldest;
    private Instant newest;

    /** What the oracle knows of a payout: the columns the search filters and orders on. */
    record Row(String reference, Instant createdAt, String status, String provider, String method, boolean review,
            String intake, String batch, long amount) {
    }

    /** Once per class, when the gateway has started (the beans are injected before each test). */
    @BeforeEach
    void fillTheLedgerOnce() throws Exception {
        if (oldest != null) {
            return;
        }

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        newest = now.minus(1, ChronoUnit.MINUTES);
        try (Connection db = dataSource.getConnection(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO payouts (reference, fingerprint, instruction, provider, method, amount, stage, status,"
                        + " review_required, intake, batch_id, next_action_at, created_at, updated_at)"
                        + " VALUES (?, 'f', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Instant created = newest;
            for (int i = 0; i < FIXTURE; i++) {
                // every 5th payout is created at the same instant as the one before: ties on created_at
                if (i % 5 != 0) {
                    created = created.minusSeconds(17 + i % 7);
                }
                String reference = String.format("%s-%s-%05d", tag, i % 3 == 0 ? "a" : "b", i);
                String status = Payout.STATUSES.get(i % 4);
                String provider = i % 2 == 0 ? "duitku" : "durianpay";
                long amount = 10_000 + (i * 7919L) % 5_000_000;
                insert.setString(1, reference);
                insert.setString(2, "{\"reference\":\"" + reference + "\",\"method\":\"" + METHODS.get(i % 4)
                        + "\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":" + amount + "}");
                insert.setString(3, provider);
                insert.setString(4, METHODS.get(i % 4));
                insert.setLong(5, amount);
                insert.setString(6, Payout.PENDING.equals(status) ? "TRANSFER_SENT" : "FINAL");
                insert.setString(7, status);
                insert.setBoolean(8, Payout.PENDING.equals(status) && i % 3 == 0);
                insert.setString(9, INTAKES.get(i % 4));
                insert.setString(10, i % 10 < 2 ? tag + "-batch-" + (i % 10) : null);
                // PENDING but not due for a day: the reconciler leaves it alone during the test
                insert.setObject(11, Payout.PENDING.equals(status) ? at(now.plus(1, ChronoUnit.DAYS)) : null);
                insert.setObject(12, at(created));
                insert.setObject(13, at(created));
                insert.addBatch();
            }
            insert.executeBatch();
            oldest = created;
        }

        // ...and a few the real way, by the API and by a dropped file, paid against the twin
        for (int i = 0; i < 3; i++) {
            String reference = tag + "-live-" + i;
            post("/api/payouts", instruction(reference, "8760673566", 50000 + i), SUBMITTER_KEY);
            awaitFinal(reference);
        }
    }

    @Test
    @Order(1)
    void withoutFiltersEveryPayoutComesOnceNewestFirst() {
        assertThat(traverse("", 500)).isEqualTo(expected(row -> true));
        assertThat(traverse("referencePrefix=" + tag, 250)).isEqualTo(expected(row -> row.reference().startsWith(tag)));
    }

    @Test
    @Order(2)
    void everyFilterAloneSelectsExactlyItsPayouts() {
        for (String status : Payout.STATUSES) {
            check("status=" + status, row -> row.status().equals(status), 61);
        }
        check("status=succeeded", row -> row.status().equals(Payout.SUCCEEDED), 500);
        check("provider=durianpay", row -> "durianpay".equals(row.provider()), 113);
        check("provider=duitku", row -> "duitku".equals(row.provider()), 500);
        for (String method : METHODS) {
            check("method=" + method, row -> method.equals(row.method()), 89);
        }
        check("reviewRequired=true", Row::review, 50);
        check("reviewRequired=false", row -> !row.review(), 500);
        for (String intake : INTAKES) {
            check("intake=" + intake, row -> intake.equals(row.intake()), 131);
        }
        check("batch=" + tag + "-batch-1", row -> (tag + "-batch-1").equals(row.batch()), 23);
        Instant from = oldest.plus(6, ChronoUnit.HOURS);
        Instant to = from.plus(2, ChronoUnit.HOURS);
        check("createdFrom=" + from, row -> !row.createdAt().isBefore(from), 250);
        check("createdTo=" + to, row -> row.createdAt().isBefore(to), 250);
        check("amountMin=2000000", row -> row.amount() >= 2_000_000, 250);
        check("amountMax=1010000", row -> row.amount() <= 1_010_000, 250);
        check("referencePrefix=" + tag + "-a-0", row -> row.reference().startsWith(tag + "-a-0"), 50);
        check("referencePrefix=" + tag + "-b-0001", row -> row.reference().startsWith(tag + "-b-0001"), 3);
    }

    @Test
    @Order(3)
    void filtersTogetherSelectWhatEveryOneOfThemSelects() {
        // the boundaries are the exact instants of payouts: createdFrom takes its own, createdTo not
        List<Row> window = expected(row -> row.createdAt().isAfter(oldest.plus(3, ChronoUnit.HOURS))
                && row.createdAt().isBefore(newest.minus(3, ChronoUnit.HOURS)));
        Instant first = window.get(window.size() - 1).createdAt();
        Instant last = window.get(0).createdAt();
        String between = "createdFrom=" + encoded(first) + "&createdTo=" + encoded(last);
        check(between, row -> !row.createdAt().isBefore(first) && row.createdAt().isBefore(last), 113);
        assertThat(expected(row -> row.createdAt().equals(first))).isNotEmpty();
        assertThat(expected(row -> row.createdAt().equals(last))).isNotEmpty();
        check("status=FAILED&" + between, row -> row.status().equals(Payout.FAILED)
                && !row.createdAt().isBefore(first) && row.createdAt().isBefore(last), 41);
        check("batch=" + tag + "-batch-0&status=SUCCEEDED", row -> (tag + "-batch-0").equals(row.batch())
                && row.status().equals(Payout.SUCCEEDED), 9);
        check("provider=duitku&method=BIFAST&intake=file&amountMin=100000&amountMax=4000000",
                row -> "duitku".equals(row.provider()) && "BIFAST".equals(row.method()) && "file".equals(row.intake())
                        && row.amount() >= 100_000 && row.amount() <= 4_000_000, 17);
        check("status=PENDING&reviewRequired=true&referencePrefix=" + tag + "-a",
                row -> row.review() && row.reference().startsWith(tag + "-a"), 11);
        check("createdFrom=" + encoded(oldest) + "&createdTo=" + encoded(oldest.plusNanos(1000)),
                row -> row.createdAt().equals(oldest), 1);
        check("status=REJECTED&amountMin=999999999999", row -> false, 50);
        // an offset other than Z, its + written %2B as a URL needs
        String wib = OffsetDateTime.ofInstant(first, ZoneOffset.ofHours(7)).toString().replace("+", "%2B");
        check("createdFrom=" + wib, row -> !row.createdAt().isBefore(first), 500);
    }

    @Test
    @Order(4)
    void pagesEndInsideRunsOfTheSameInstantAndTheLastFullPageSaysSo() {
        // every 5th fixture payout was created at the same instant as the one before it
        for (String prefix : List.of(tag + "-b-0000", tag + "-b-000")) {
            List<Row> rows = expected(row -> row.reference().startsWith(prefix));
            long ties = 0;
            for (int i = 1; i < rows.size(); i++) {
                ties += rows.get(i).createdAt().equals(rows.get(i - 1).createdAt()) ? 1 : 0;
            }
            assertThat(ties).as("runs of one instant under " + prefix).isPositive();
        }
        for (int limit : new int[] {1, 2, 3}) {
            check("referencePrefix=" + tag + "-b-0000", row -> row.reference().startsWith(tag + "-b-0000"), limit);
        }
        for (int limit : new int[] {4, 7}) {
            check("referencePrefix=" + tag + "-b-000", row -> row.reference().startsWith(tag + "-b-000"), limit);
        }
        int count = expected(row -> (tag + "-batch-0").equals(row.batch())).size();
        Map<String, Object> exactlyFull = get("/api/payouts?batch=" + tag + "-batch-0&limit=" + count, READER_KEY)
                .json();
        assertThat((List<?>) exactlyFull.get("items")).hasSize(count);
        assertThat(exactlyFull.get("nextCursor")).as("no page after the last one").isNull();
        Map<String, Object> oneShort = get("/api/payouts?batch=" + tag + "-batch-0&limit=" + (count - 1), READER_KEY)
                .json();
        assertThat(oneShort.get("nextCursor")).isNotNull();
        assertThat((List<?>) get("/api/payouts?batch=" + tag + "-batch-0&limit=" + (count - 1) + "&cursor="
                + oneShort.get("nextCursor"), READER_KEY).json().get("items")).hasSize(1);
        assertThat((List<?>) get("/api/payouts?limit=50", READER_KEY).json().get("items")).hasSize(50);
        assertThat((List<?>) get("/api/payouts", READER_KEY).json().get("items")).as("default limit").hasSize(50);
    }

    @Test
    @Order(5)
    void aTraversalKeepsItsCourseWhilePayoutsArrive() throws Exception {
        String filter = "referencePrefix=" + tag;
        List<Row> before = expected(row -> row.reference().startsWith(tag));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int page = 0;
        List<String> arrived = new ArrayList<>();
        do {
            Map<String, Object> answer = get("/api/payouts?" + filter + "&limit=250"
                    + (cursor == null ? "" : "&cursor=" + cursor), READER_KEY).json();
            ((List<Map<String, Object>>) answer.get("items")).forEach(item -> seen.add((String) item.get("reference")));
            cursor = (String) answer.get("nextCursor");
            // between pages: a new payout, newer than any the traversal has still to read
            String reference = tag + "-new-" + page++;
            assertThat(post("/api/payouts", instruction(reference, "8760673566", 60000)).status()).isEqualTo(202);
            arrived.add(reference);
        } while (cursor != null);
        assertThat(seen).as("exactly the payouts there were when it started, newest first")
                .containsExactlyElementsOf(before.stream().map(Row::reference).toList());
        arrived.forEach(this::awaitFinal);
        assertThat(traverse(filter, 400).stream().map(Row::reference).toList()).containsAll(arrived);
    }

    @Test
    @Order(6)
    void everyBadParameterIsNamed() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("status=PAID", "status: must be one of PENDING, AWAITING_APPROVAL, SUCCEEDED, FAILED, REJECTED, CANCELLED");
        bad.put("provider=paypal", "provider: must be one of duitku, durianpay");
        bad.put("method=WIRE", "method: must be one of");
        bad.put("reviewRequired=yes", "reviewRequired: must be true or false");
        bad.put("intake=ftp", "intake: must be one of api, file, jms, block");
        bad.put("batch=a%2Fb", "batch: must be a batch id");
        bad.put("createdFrom=yesterday", "createdFrom: must be an ISO-8601 instant");
        bad.put("createdTo=2026-13-01T00:00:00Z", "createdTo: must be an ISO-8601 instant");
        bad.put("createdFrom=2026-06-02T00:00:00Z&createdTo=2026-06-01T00:00:00Z", "createdTo: must be after createdFrom");
        bad.put("amountMin=-1", "amountMin: must be a whole number of rupiah");
        bad.put("amountMax=1.5", "amountMax: must be a whole number of rupiah");
        bad.put("amountMin=20&amountMax=10", "amountMax: must not be below amountMin");
        bad.put("referencePrefix=a%20b", "referencePrefix: must be 1-64 of");
        bad.put("limit=0", "limit: must be a whole number from 1 to 500");
        bad.put("limit=501", "limit: must be a whole number from 1 to 500");
        bad.put("cursor=not-a-cursor", "cursor: not a cursor of this list");
        bad.put("stauts=FAILED", "stauts: unknown parameter");
        bad.put("status=FAILED&status=PENDING", "status: given more than once");
        bad.forEach((query, problem) -> {
            Response answer = get("/api/payouts?" + query, READER_KEY);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat((List<String>) answer.json().get("problems")).as(query).anyMatch(p -> p.startsWith(problem));
        });
        Response several = get("/api/payouts?status=PAID&limit=0&colour=red", READER_KEY);
        assertThat((List<String>) several.json().get("problems")).hasSize(3);
        assertThat(several.json().get("error")).asString().doesNotContain("PAID");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Reads every page of the search with this filter and compares it with the ledger. */
    private void check(String query, Predicate<Row> filter, int limit) {
        assertThat(traverse(query, limit)).as(query).isEqualTo(expected(filter));
    }

    /**
     * Every page of the search, following nextCursor; fails on a repeated item, and returns the
     * items as the ledger has them (in the API's order).
     */
    private List<Row> traverse(String query, int limit) {
        Map<String, Row> ledgerRows = new LinkedHashMap<>();
        ledgerRows().forEach(row -> ledgerRows.put(row.reference(), row));
        List<Row> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            Response answer = get("/api/payouts?" + query + (query.isEmpty() ? "" : "&") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), READER_KEY);
            assertThat(answer.status()).as(query + " " + answer.body()).isEqualTo(200);
            List<Map<String, Object>> page = (List<Map<String, Object>>) answer.json().get("items");
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            for (Map<String, Object> item : page) {
                assertThat(seen.add((String) item.get("reference"))).as("repeated " + item.get("reference")).isTrue();
                assertThat(item).containsKeys("status", "provider", "method", "amount", "updatedAt");
                items.add(ledgerRows.get((String) item.get("reference")));
            }
            cursor = (String) answer.json().get("nextCursor");
            assertThat(cursor == null || page.size() == limit).as("only the last page is short").isTrue();
        } while (cursor != null);
        return items;
    }

    /** The ledger's payouts that pass the filter, newest first (creation, then reference). */
    private List<Row> expected(Predicate<Row> filter) {
        return ledgerRows().stream().filter(filter).sorted(Comparator.comparing(Row::createdAt)
                .thenComparing(Row::reference).reversed()).toList();
    }

    private List<Row> ledgerRows() {
        List<Row> rows = new ArrayList<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement(
                "SELECT reference, created_at, status, provider, method, review_required, intake, batch_id, amount"
                        + " FROM payouts"); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.add(new Row(row.getString(1), row.getObject(2, OffsetDateTime.class).toInstant(), row.getString(3),
                        row.getString(4), row.getString(5), row.getBoolean(6), row.getString(7), row.getString(8),
                        row.getLong(9)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static String encoded(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
