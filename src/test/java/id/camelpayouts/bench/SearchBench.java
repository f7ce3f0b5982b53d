package id.camelpayouts.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.ledger.PayoutQueries;
import id.camelpayouts.ledger.PayoutQueries.Position;
import id.camelpayouts.ledger.PayoutQueries.Search;

/**
 * The search on a big ledger (bench/run --search): fills a ledger with BENCH_SEARCH_ROWS payouts
 * (1,000,000) spread as a merchant's would be (six months; mostly SUCCEEDED; dropped payroll
 * files of 500 to 5,000 rows, API and JMS payouts, some of them in batches of their own), then
 * times what an operator asks (the ledger's queries behind GET /api/payouts and /api/batches):
 * each query run BENCH_SEARCH_RUNS times (20) after 3 untimed runs; median and slowest printed in
 * milliseconds. Not a test: it never passes or fails on time.
 *
 * Databases (BENCH_SEARCH_DB: h2, postgresql or both): H2 in a file under target/bench/ (as the
 * embedded ledger), PostgreSQL at BENCH_PG_URL / BENCH_PG_USER / BENCH_PG_PASSWORD (a database of
 * its own: the bench drops and refills the ledger's tables there).
 */
public final class SearchBench {

    static final List<String> METHODS = List.of("ONLINE", "ONLINE", "ONLINE", "ONLINE", "ONLINE", "ONLINE", "ONLINE",
            "BIFAST", "BIFAST", "H2H");
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final int DAYS = 180;

    private final int rows;
    private final int runs;
    /** Ids of file batches and their sizes, and other facts the queries need, found while filling. */
    private String bigFile;
    private String apiBatch;

    /** BENCH_SEARCH_REUSE=true: measure the ledger the last run filled (H2: the newest target/bench/search-*). */
    private final boolean reuse = Boolean.parseBoolean(env("BENCH_SEARCH_REUSE", "false"));

    private SearchBench(int rows, int runs) {
        this.rows = rows;
        this.runs = runs;
    }

    public static void main(String... args) throws Exception {
        int rows = Integer.parseInt(env("BENCH_SEARCH_ROWS", "1000000"));
        int runs = Integer.parseInt(env("BENCH_SEARCH_RUNS", "20"));
        List<String> databases = Arrays.asList(env("BENCH_SEARCH_DB", "both").replace("both", "h2,postgresql")
                .split(","));
        SearchBench bench = new SearchBench(rows, runs);
        note("search on %,d payouts; %d timed runs per query; java %s, %d cores", rows, runs,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        if (databases.contains("h2")) {
            Path dir = Path.of("target", "bench", "search-" + LocalDateTime.now().format(
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (bench.reuse) {
                try (var previous = Files.list(Path.of("target", "bench"))) {
                    dir = previous.filter(path -> path.getFileName().toString().startsWith("search-")).sorted()
                            .reduce((first, second) -> second).orElse(dir);
                }
            }
            Files.createDirectories(dir);
            // without H2 handing back the previous result of the same query (a ledger being written
            // to seldom gets it): each run does the work
            bench.run("h2", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("ledger") + ";OPTIMIZE_REUSE_RESULTS=FALSE",
                    "", "");
        }
        if (databases.contains("postgresql")) {
            bench.run("postgresql", env("BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/payouts_bench"),
                    env("BENCH_PG_USER", "payouts"), env("BENCH_PG_PASSWORD", "payouts"));
        }
        System.exit(0);
    }

    private void run(String name, String url, String user, String password) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            long started = System.nanoTime();
            if (reuse) {
                findBatches(dataSource);
            } else {
                fill(dataSource, name);
                note("%s: filled in %.0f s", name, (System.nanoTime() - started) / 1e9);
            }
            PayoutLedger ledger = new PayoutLedger(dataSource, Clock.systemUTC(), new LedgerPolicy(Duration.ofMinutes(2),
                    Duration.ofMinutes(2), List.of(Duration.ofSeconds(2)), Duration.ofSeconds(30),
                    Duration.ofMinutes(15), Duration.ofHours(24)), "bench");
            measure(name, new PayoutQueries(ledger));
        }
    }

    // ---- the queries ---------------------------------------------------------------------------

    private void measure(String db, PayoutQueries queries) {
        Instant monthAgo = NOW.minus(30, ChronoUnit.DAYS);
        Position middle = new Position(NOW.minus(DAYS / 2, ChronoUnit.DAYS), "~");
        time(db, "first_page", () -> queries.search(search(null, null, null, null, null, null, null, null)));
        time(db, "first_page_500", () -> queries.search(new Search(null, null, null, null, null, null, null, null,
                null, null, null, 500, null)));
        time(db, "deep_page_cursor", () -> queries.search(new Search(null, null, null, null, null, null, null, null,
                null, null, null, 50, middle)));
        time(db, "status_failed_last_month", () -> queries.search(search("FAILED", null, null, null, monthAgo,
                NOW.minus(1, ChronoUnit.DAYS), null, null)));
        time(db, "status_failed_months_deep", () -> queries.search(new Search("FAILED", null, null, null, null, null,
                monthAgo.minus(60, ChronoUnit.DAYS), monthAgo, null, null, null, 50,
                new Position(monthAgo.minus(30, ChronoUnit.DAYS), "~"))));
        time(db, "pending_review", () -> queries.search(new Search("PENDING", null, null, true, null, null, null,
                null, null, null, null, 50, null)));
        time(db, "batch", () -> queries.search(search(null, null, null, bigFile, null, null, null, null)));
        time(db, "batch_failed", () -> queries.search(search("FAILED", null, null, bigFile, null, null, null, null)));
        time(db, "reference_prefix_day", () -> queries.search(search(null, null, null, null, null, null, null,
                "PAY-20260901-")));
        time(db, "reference_prefix_month", () -> queries.search(search(null, null, null, null, null, null, null,
                "PAY-202609")));
        time(db, "reference_prefix_one", () -> queries.search(search(null, null, null, null, null, null, null,
                "PAY-20260901-00017")));
        time(db, "reference_prefix_none", () -> queries.search(search(null, null, null, null, null, null, null,
                "NOPE-")));
        time(db, "provider_durianpay_amount", () -> queries.search(new Search(null, "durianpay", null, null, null,
                null, null, null, 50_000_000L, 60_000_000L, null, 50, null)));
        time(db, "intake_jms_method_h2h", () -> queries.search(new Search(null, null, "H2H", null, "jms", null, null,
                null, null, null, null, 50, null)));
        time(db, "batches_first_page", () -> queries.batches(50, null));
        note("%s: batch %s: %s", db, bigFile, queries.batch(bigFile).toMap());
        note("%s: batch %s: %s", db, apiBatch, queries.batch(apiBatch).toMap());
        time(db, "batch_detail_file", () -> queries.batch(bigFile));
        time(db, "batch_detail_api", () -> queries.batch(apiBatch));
    }

    private static Search search(String status, String provider, String intake, String batch, Instant from, Instant to,
            Long amountMin, String prefix) {
        return new Search(status, provider, null, null, intake, batch, from, to, amountMin, null, prefix, 50, null);
    }

    private void time(String db, String query, Supplier<Object> ask) {
        for (int i = 0; i < 3; i++) {
            ask.get();
        }
        long[] millis = new long[runs];
        Object answer = null;
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            answer = ask.get();
            millis[i] = (System.nanoTime() - started) / 1_000;
        }
        Arrays.sort(millis);
        int items = answer instanceof PayoutQueries.Page<?> page ? page.items().size() : 1;
        System.out.printf("bench=search_%s_%s value=%.2f unit=ms slowest=%.2f items=%d%n", query, db,
                millis[runs / 2] / 1000.0, millis[runs - 1] / 1000.0, items);
    }

    // ---- the ledger ------------------------------------------------------------------------------

    /**
     * Creates the schema, drops the search's indexes, loads the payouts in chunks, and creates the
     * indexes again by applying the schema once more (much faster than maintaining them row by row).
     */
    private void fill(HikariDataSource dataSource, String db) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS payouts, payout_events, outbox, batches, batch_rows, payout_batches");
        }
        LedgerSchema.apply(dataSource);
        List<String> indexes = List.of("payouts_created", "payouts_status_created", "payouts_provider_created",
                "payouts_method_created", "payouts_intake_created", "payouts_review_created", "payouts_batch_created",
                "payouts_batch_status", "payouts_amount", "payouts_due", "payouts_provider_reference",
                "payouts_reference_prefix");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String index : indexes) {
                statement.execute("DROP INDEX IF EXISTS " + index);
            }
        }
        Random random = new Random(42);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement payout = connection.prepareStatement("INSERT INTO payouts (reference, fingerprint,"
                    + " instruction, provider, method, amount, stage, status, provider_reference, response_code, reason,"
                    + " review_required, intake, batch_id, next_action_at, created_at, updated_at)"
                    + " VALUES (?, 'f', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement batch = connection.prepareStatement(
                            "INSERT INTO payout_batches (id, intake, started_at, file_id) VALUES (?, ?, ?, ?)");
                    PreparedStatement file = connection.prepareStatement("INSERT INTO batches (id, file_name,"
                            + " row_count, created_at, completed_at) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement fileRow = connection.prepareStatement(
                            "INSERT INTO batch_rows (batch_id, row_no, reference) VALUES (?, ?, ?)")) {
                // payouts come in time order: day by day, a merchant's files and single payouts
                double spacing = DAYS * 86_400_000.0 / rows;
                Instant start = NOW.minus(DAYS, ChronoUnit.DAYS);
                Instant clock = start;
                int written = 0;
                int unflushed = 0;
                int sequence = 0;
                java.util.Set<String> groups = new java.util.HashSet<>();
                String day = "";
                int largest = 0;
                while (written < rows) {
                    // evenly over the months, a little irregular
                    Instant due = start.plusMillis((long) ((written + random.nextDouble()) * spacing));
                    clock = due.isAfter(clock) ? due : clock.plusMillis(1);
                    String today = LocalDate.ofInstant(clock, ZoneOffset.UTC).toString().replace("-", "");
                    if (!today.equals(day)) {
                        day = today;
                        sequence = 0;
                    }
                    double kind = random.nextDouble();
                    if (kind < 0.0004 && written < rows - 5000) {
                        // a payroll file: 500 to 5,000 rows, taken in over a few seconds
                        int size = 500 + random.nextInt(4501);
                        String name = "payroll-" + today + "-" + random.nextInt(1000) + ".csv";
                        String fileId = "f" + written;
                        batch.setString(1, name);
                        batch.setString(2, "file");
                        batch.setObject(3, clock.atOffset(ZoneOffset.UTC));
                        batch.setString(4, fileId);
                        batch.executeUpdate();
                        file.setString(1, fileId);
                        file.setString(2, name);
                        file.setInt(3, size);
                        file.setObject(4, clock.atOffset(ZoneOffset.UTC));
                        file.setObject(5, clock.plusSeconds(size / 20).atOffset(ZoneOffset.UTC));
                        file.executeUpdate();
                        for (int row = 1; row <= size; row++) {
                            clock = clock.plusMillis(2);
                            String reference = "PAY-" + today + "-" + String.format("%05d", sequence++);
                            add(payout, random, reference, clock, "file", name);
                            fileRow.setString(1, fileId);
                            fileRow.setInt(2, row);
                            fileRow.setString(3, reference);
                            fileRow.addBatch();
                        }
                        fileRow.executeBatch();
                        if (size > largest) {
                            largest = size;
                            bigFile = name;
                        }
                        written += size;
                        unflushed += size;
                    } else {
                        String intake = kind < 0.7 ? "api" : "jms";
                        String group = random.nextInt(10) == 0 ? "orders-" + today + "-" + random.nextInt(5) : null;
                        if (group != null && apiBatch == null || group != null && random.nextInt(50) == 0) {
                            apiBatch = group;
                        }
                        if (group != null && groups.add(group)) {
                            batch.setString(1, group);
                            batch.setString(2, intake);
                            batch.setObject(3, clock.atOffset(ZoneOffset.UTC));
                            batch.setString(4, null);
                            batch.executeUpdate();
                        }
                        add(payout, random, "PAY-" + today + "-" + String.format("%05d", sequence++), clock, intake,
                                group);
                        written++;
                        unflushed++;
                    }
                    if (unflushed >= 5_000) {
                        payout.executeBatch();
                        connection.commit();
                        if (written / 100_000 != (written - unflushed) / 100_000) {
                            note("%s: %,d payouts", db, written);
                        }
                        unflushed = 0;
                    }
                }
                payout.executeBatch();
                connection.commit();
            }
        }
        note("%s: creating the indexes", db);
        LedgerSchema.apply(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT batch_id) FROM payouts")) {
                count.next();
                note("%s: %,d payouts in %,d batches; largest file %s", db, count.getLong(1), count.getLong(2), bigFile);
            }
        }
    }

    /** The largest file and the largest other batch of a ledger filled before. */
    private void findBatches(HikariDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet file = statement.executeQuery(
                    "SELECT file_name FROM batches ORDER BY row_count DESC, file_name FETCH FIRST 1 ROWS ONLY")) {
                file.next();
                bigFile = file.getString(1);
            }
            try (ResultSet group = statement.executeQuery("SELECT batch_id FROM payouts WHERE batch_id LIKE 'orders-%'"
                    + " GROUP BY batch_id ORDER BY COUNT(*) DESC, batch_id FETCH FIRST 1 ROWS ONLY")) {
                group.next();
                apiBatch = group.getString(1);
            }
        }
    }

    /** One payout: mostly SUCCEEDED, some FAILED and REJECTED; the last days' still PENDING, a few for review. */
    private static void add(PreparedStatement payout, Random random, String reference, Instant created, String intake,
            String batch) throws SQLException {
        double draw = random.nextDouble();
        boolean recent = created.isAfter(NOW.minus(2, ChronoUnit.DAYS));
        String status = recent && draw < 0.3 ? "PENDING" : draw < 0.90 ? "SUCCEEDED" : draw < 0.96 ? "FAILED"
                : draw < 0.99 ? "REJECTED" : random.nextInt(20) == 0 ? "PENDING" : "SUCCEEDED";
        String method = METHODS.get(random.nextInt(METHODS.size()));
        long amount = Math.round(Math.exp(Math.log(10_000) + random.nextDouble() * (Math.log(100_000_000) - Math.log(10_000))));
        payout.setString(1, reference);
        payout.setString(2, "{\"reference\":\"" + reference + "\",\"method\":\"" + method + "\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"" + (4_000_000_000L + random.nextInt(1_000_000_000)) + "\",\"amount\":" + amount
                + "}");
        payout.setString(3, random.nextInt(5) == 0 ? "durianpay" : "duitku");
        payout.setString(4, method);
        payout.setLong(5, amount);
        payout.setString(6, "PENDING".equals(status) ? "TRANSFER_SENT" : "FINAL");
        payout.setString(7, status);
        payout.setString(8, "REJECTED".equals(status) ? null : String.valueOf(100_000 + random.nextInt(900_000)));
        payout.setString(9, "SUCCEEDED".equals(status) ? "00" : "FAILED".equals(status) ? "-510" : null);
        payout.setString(10, "SUCCEEDED".equals(status) ? null : "a reason");
        payout.setBoolean(11, "PENDING".equals(status) && !recent);
        payout.setString(12, intake);
        payout.setString(13, batch);
        payout.setObject(14, "PENDING".equals(status) ? created.plusSeconds(30).atOffset(ZoneOffset.UTC) : null);
        payout.setObject(15, created.atOffset(ZoneOffset.UTC));
        payout.setObject(16, created.plusSeconds(3).atOffset(ZoneOffset.UTC));
        payout.addBatch();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void note(String format, Object... args) {
        System.out.println("# " + String.format(format, args));
    }
}
