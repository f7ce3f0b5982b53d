package id.camelpayouts.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

import id.camelpayouts.process.GatewayProcess;
import id.camelpayouts.process.Health;
import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * The benchmark command (bench/run): the real jar against a Duitku twin in this JVM, each figure
 * with a baseline measured in the same run. Prints one line per figure,
 * {@code bench=<name> db=<h2|postgresql> value=<n> unit=<unit> baseline=<n> ratio=<value/baseline>}; every other line
 * starts with '#'. Not a test: it never passes or fails on time.
 *
 * Environment: BENCH_ROWS (10000), BENCH_WARMUP_ROWS (1000: paid first, untimed, by the gateway and by
 * the plain-Java baseline alike), BENCH_LATENCY_ROWS (1000), BENCH_LATENCY_MS (200),
 * BENCH_CALLBACK_ROWS (500), BENCH_CALLBACK_SECONDS (5), BENCH_CALLBACK_LEVELS (1,4,16,64),
 * BENCH_ONLY (comma-separated: startup,batch,callbacks,latency; default all),
 * BENCH_GATEWAY_JAVA_OPTS (extra JVM options for the gateway, e.g. a JFR recording),
 * PAYOUTS_CONCURRENCY (else application.properties' default).
 *
 * Ledgers: the embedded H2 ledger, and with BENCH_DB_URL (BENCH_DB_USER, BENCH_DB_PASSWORD) also
 * PostgreSQL, every figure again (BENCH_DB: h2, postgresql or both). The PostgreSQL database must be
 * the bench's own: its tables are dropped before each gateway starts.
 */
public final class Benchmarks {

    private final Path work;
    private final int concurrency;
    private final List<String> gatewayJavaOptions;
    private final List<String> only;
    private final Ledger ledger;

    private Benchmarks(Path work, int concurrency, List<String> gatewayJavaOptions, List<String> only, Ledger ledger) {
        this.work = work;
        this.concurrency = concurrency;
        this.gatewayJavaOptions = gatewayJavaOptions;
        this.only = only;
        this.ledger = ledger;
    }

    /** The gateway's ledger in this run: the embedded H2 (url null) or a PostgreSQL database. */
    record Ledger(String name, String url, String user, String password) {

        static List<Ledger> configured() {
            String url = env("BENCH_DB_URL", "");
            List<String> names = Arrays.asList(env("BENCH_DB", url.isEmpty() ? "h2" : "both")
                    .replace("both", "h2,postgresql").split(","));
            List<Ledger> ledgers = new ArrayList<>();
            if (names.contains("h2")) {
                ledgers.add(new Ledger("h2", null, null, null));
            }
            if (names.contains("postgresql")) {
                if (url.isEmpty()) {
                    throw new IllegalArgumentException("BENCH_DB=postgresql needs BENCH_DB_URL");
                }
                ledgers.add(new Ledger("postgresql", url, env("BENCH_DB_USER", "payouts"),
                        env("BENCH_DB_PASSWORD", "payouts")));
            }
            return ledgers;
        }

        /** An empty database for the next gateway: every table of the current schema dropped. */
        void empty() throws SQLException {
            if (url == null) {
                return;
            }
            try (Connection db = DriverManager.getConnection(url, user, password);
                    Statement statement = db.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                    while (rows.next()) {
                        tables.add('"' + rows.getString(1) + '"');
                    }
                }
                if (!tables.isEmpty()) {
                    statement.execute("DROP TABLE " + String.join(", ", tables) + " CASCADE");
                }
            }
        }
    }

    public static void main(String... args) throws Exception {
        Path work = Path.of("target", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                "yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        int concurrency = configuredConcurrency();
        String options = env("BENCH_GATEWAY_JAVA_OPTS", "").trim();
        List<String> only = Arrays.asList(env("BENCH_ONLY", "startup,batch,callbacks,latency").split(","));
        note("camel-payouts benchmarks; work directory %s", work.toAbsolutePath());
        note("machine: %d cores, %s, java %s; gateway concurrency C=%d", Runtime.getRuntime().availableProcessors(),
                memTotal(), System.getProperty("java.version"), concurrency);
        long started = System.nanoTime();
        for (Ledger ledger : Ledger.configured()) {
            note("ledger: %s%s", ledger.name(), ledger.url() == null ? " (embedded, in the data directory)"
                    : " at " + ledger.url());
            Files.createDirectories(work.resolve(ledger.name()));
            new Benchmarks(work.resolve(ledger.name()), concurrency,
                    options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+")), only, ledger).run();
        }
        note("done in %.0f s; gateway logs under %s", (System.nanoTime() - started) / 1e9, work);
        System.exit(0);
    }

    private void run() throws Exception {
        // Twin without latency; its own H2H callbacks come only after an hour, so the callback
        // benchmark's H2H payouts stay PENDING until the load generator's callbacks.
        DuitkuTwin twin = new DuitkuTwin(twinSettings(0), Clock.systemUTC());
        twin.start();
        try {
            Baseline bare = null;
            if (only.contains("startup") || only.contains("callbacks")) {
                bare = startBareVertx();
            }
            try (GatewayProcess gateway = gateway(work.resolve("gateway"), twin)) {
                gateway.start();
                double startup = gateway.startupSeconds();
                Thread.sleep(2000);
                double rssStartup = ProcessMemory.rssMiB(gateway.pid());
                note("gateway pid %d: health UP %.2f s after launch; VmRSS %.0f MiB 2 s later", gateway.pid(), startup,
                        rssStartup);
                if (bare != null && only.contains("startup")) {
                    figure("startup", startup, "s", bare.startupSeconds);
                    figure("rss_after_startup", rssStartup, "MiB", bare.rssMiB);
                }
                if (only.contains("batch")) {
                    batch(gateway, twin);
                }
                if (only.contains("callbacks") && bare != null) {
                    callbacks(gateway, twin, bare);
                }
            } finally {
                if (bare != null) {
                    bare.process.destroy();
                    bare.process.waitFor();
                }
            }
        } finally {
            twin.stop();
        }
        if (only.contains("latency")) {
            latencyBound();
        }
    }

    // ---- 1. batch -------------------------------------------------------------------------

    private void batch(GatewayProcess gateway, DuitkuTwin twin) throws Exception {
        int rows = Integer.parseInt(env("BENCH_ROWS", "10000"));
        StringBuilder csv = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("bench-b").append(i).append(",ONLINE,014,").append(6_000_000_000L + i).append(',')
                    .append(10_000 + i).append('\n');
        }
        int warmup = Integer.parseInt(env("BENCH_WARMUP_ROWS", "1000"));
        if (warmup > 0) {
            StringBuilder warm = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
            for (int i = 1; i <= warmup; i++) {
                warm.append("bench-w").append(i).append(",ONLINE,014,").append(5_000_000_000L + i).append(',')
                        .append(10_000 + i).append('\n');
            }
            long warmDropped = gateway.dropWithDoneMarker("warmup.csv", warm);
            long warmDone = awaitRows(gateway, "warmup.csv", warmup, GatewayProcess::isFinal, Duration.ofMinutes(5), 200);
            note("batch: warm-up file of %d rows final in %.2f s (not counted)", warmup,
                    ((warmDone < 0 ? System.nanoTime() : warmDone) - warmDropped) / 1e9);
        }
        note("batch: dropping %d ONLINE rows (twin latency 0, C=%d)", rows, concurrency);
        int transfersBefore = twin.transfersExecuted();
        LedgerWrites writesBefore = LedgerWrites.of(gateway, ledger);
        GatewayProcess.FinalOutcomeClock outcomes = gateway.clockFinalOutcomes("bench-b", rows);
        Duration cpuBefore = cpu(gateway.pid());
        long dropped = gateway.dropWithDoneMarker("batch.csv", csv);
        long done = awaitRows(gateway, "batch.csv", rows, GatewayProcess::isFinal, Duration.ofMinutes(6), 200);
        Duration cpuBatch = cpu(gateway.pid()).minus(cpuBefore);
        double seconds;
        if (done < 0) {
            seconds = (System.nanoTime() - dropped) / 1e9;
            long fin = countRows(gateway, "batch.csv", GatewayProcess::isFinal);
            note("batch: NOT all final after %.0f s (%d final); the figure counts final rows only", seconds, fin);
            rows = (int) Math.max(fin, 0);
        } else {
            seconds = (done - dropped) / 1e9;
        }
        long succeeded = countRows(gateway, "batch.csv", row -> "SUCCEEDED".equals(row.get("status")));
        double rssBatch = ProcessMemory.rssMiB(gateway.pid());
        note("batch: ledger per payout: %s", LedgerWrites.of(gateway, ledger).since(writesBefore, rows));
        note("batch: gateway %d rows final in %.2f s (%d SUCCEEDED, %d transfers at the twin); VmRSS %.0f MiB;"
                + " CPU %.1f s (%.0f us per payout)", rows, seconds, succeeded, twin.transfersExecuted() - transfersBefore,
                rssBatch, cpuBatch.toNanos() / 1e9, cpuBatch.toNanos() / 1000.0 / Math.max(rows, 1));
        // What an ERP listening on the outcomes queue sees: the outbox's delivery after the last row.
        try (outcomes) {
            long lastOutcome = outcomes.await(Duration.ofMinutes(3));
            if (lastOutcome < 0) {
                note("batch: outcomes queue: only %d of %d final outcomes 3 minutes later", outcomes.finalsSoFar(), rows);
            } else {
                note("batch: outcomes queue: the last of %d final outcomes %.2f s after the drop, %.2f s after the"
                        + " results file had every row final", rows, (lastOutcome - dropped) / 1e9,
                        (lastOutcome - (done < 0 ? dropped : done)) / 1e9);
            }
        }

        // Baseline: the plain-Java payer in its own JVM, same twin, same rows count, same concurrency.
        List<String> command = javaCommand(PlainJavaPayer.class, twin.baseUrl(), String.valueOf(GatewayProcess.USER_ID),
                GatewayProcess.EMAIL, GatewayProcess.SECRET, String.valueOf(rows), String.valueOf(concurrency),
                "7000000000", "014", String.valueOf(warmup));
        Process payer = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(payer.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else {
                    note("plain-java: %s", line);
                }
            }
        }
        payer.waitFor();
        if (result == null) {
            throw new IllegalStateException("plain-Java payer printed no result");
        }
        double plainSeconds = Double.parseDouble(field(result, "seconds"));
        double plainRss = Double.parseDouble(field(result, "rssMiB"));
        note("batch: plain-java %s", result.substring(7));
        figure("batch", rows / seconds, "payouts/s", rows / plainSeconds);
        figure("rss_after_batch", rssBatch, "MiB", plainRss);
        figure("batch_cpu", cpuBatch.toNanos() / 1000.0 / Math.max(rows, 1), "us/payout",
                Double.parseDouble(field(result, "cpuSeconds")) * 1e6 / rows);
    }

    /**
     * The ledger's writes as the gateway counts them (payouts_ledger_*), and on PostgreSQL the
     * server's own write-ahead-log flushes (pg_stat_wal.wal_sync, the whole server's).
     */
    private record LedgerWrites(double durable, double deferred, double flushes, double walSyncs) {

        static LedgerWrites of(GatewayProcess gateway, Ledger ledger) throws Exception {
            double walSyncs = -1;
            if (ledger.url() != null) {
                try (Connection db = DriverManager.getConnection(ledger.url(), ledger.user(), ledger.password());
                        Statement select = db.createStatement();
                        ResultSet row = select.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
                    walSyncs = row.next() ? row.getDouble(1) : -1;
                }
            }
            return new LedgerWrites(gateway.metric("payouts_ledger_writes_total", "durability=\"durable\""),
                    gateway.metric("payouts_ledger_writes_total", "durability=\"deferred\""),
                    gateway.metric("payouts_ledger_flushes_total", null), walSyncs);
        }

        String since(LedgerWrites before, int payouts) {
            double n = Math.max(payouts, 1);
            String flushed = walSyncs < 0
                    ? String.format("%.2f flushes (H2 CHECKPOINT, each shared by the durable writes waiting)",
                            (flushes - before.flushes) / n)
                    : String.format("%.2f write-ahead-log flushes (pg_stat_wal.wal_sync)",
                            (walSyncs - before.walSyncs) / n);
            return String.format("%.2f durable writes, %.2f deferred writes, %s", (durable - before.durable) / n,
                    (deferred - before.deferred) / n, flushed);
        }
    }

    // ---- 3. callbacks ---------------------------------------------------------------------

    private void callbacks(GatewayProcess gateway, DuitkuTwin twin, Baseline bare) throws Exception {
        int rows = Integer.parseInt(env("BENCH_CALLBACK_ROWS", "500"));
        long seconds = Long.parseLong(env("BENCH_CALLBACK_SECONDS", "5"));
        StringBuilder csv = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("bench-h").append(i).append(",H2H,009,").append(8_000_000_000L + i).append(',')
                    .append(20_000 + i).append('\n');
        }
        note("callbacks: paying %d H2H rows first (left PENDING, awaiting Duitku's callback)", rows);
        gateway.dropWithDoneMarker("h2h.csv", csv);
        if (awaitRows(gateway, "h2h.csv", rows, row -> "PENDING".equals(row.get("status"))
                && "80".equals(row.get("responseCode")), Duration.ofMinutes(3), 250) < 0) {
            throw new IllegalStateException("H2H payouts did not all reach PENDING (80)");
        }
        List<String> bodies = new ArrayList<>();
        for (Map<String, String> row : gateway.results("h2h.csv")) {
            String disburseId = row.get("providerReference");
            long index = Long.parseLong(row.get("reference").substring("bench-h".length()));
            String bankAccount = String.valueOf(8_000_000_000L + index);
            long amount = 20_000 + index;
            String custRefNumber = String.format("%012d", Long.parseLong(disburseId));
            String accountName = row.get("accountName");
            // The document's clearing callback, as the twin sends it (amount as a JSON decimal).
            bodies.add(new JsonObject().put("disburseId", disburseId).put("userId", GatewayProcess.USER_ID)
                    .put("email", GatewayProcess.EMAIL).put("bankCode", "009").put("bankAccount", bankAccount)
                    .put("amountTransfer", (double) amount).put("accountName", accountName)
                    .put("custRefNumber", custRefNumber).put("statusCode", "00").put("statusDesc", "Success")
                    .put("errorMessage", "").put("signature", DuitkuSignature.sha256Hex(GatewayProcess.EMAIL + "009"
                            + bankAccount + accountName + custRefNumber + amount + disburseId + GatewayProcess.SECRET))
                    .encode());
        }
        note("callbacks: %d distinct signed clearing callbacks (statusCode 00: the first settles its payout,"
                + " repeats are answered SUCCESS and change nothing); %d s per level after 1 s warm-up", bodies.size(),
                seconds);
        List<Integer> levels = Arrays.stream(env("BENCH_CALLBACK_LEVELS", "1,4,16,64").split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        List<CallbackLoad.Result> gatewayResults = new ArrayList<>();
        List<Double> gatewayCpu = new ArrayList<>();
        for (int level : levels) {
            Duration cpuBefore = cpu(gateway.pid());
            CallbackLoad.Result result = CallbackLoad.run("127.0.0.1", gateway.httpPort, "/callbacks/duitku/clearing",
                    bodies, level, 1000, seconds * 1000);
            gatewayCpu.add(cpuMicrosPerCallback(cpu(gateway.pid()).minus(cpuBefore), result, seconds));
            note("callbacks gateway    c=%d: %s, CPU %.0f us per callback", level, describe(result),
                    gatewayCpu.get(gatewayCpu.size() - 1));
            gatewayResults.add(result);
        }
        long settled = countRows(gateway, "h2h.csv", row -> "SUCCEEDED".equals(row.get("status")));
        note("callbacks: %d of %d H2H payouts SUCCEEDED by callback (results file, may lag 0.5 s)", settled, rows);
        for (int i = 0; i < levels.size(); i++) {
            Duration cpuBefore = cpu(bare.process.pid());
            CallbackLoad.Result base = CallbackLoad.run("127.0.0.1", bare.port, "/callbacks/duitku/clearing", bodies,
                    levels.get(i), 1000, seconds * 1000);
            double baseCpu = cpuMicrosPerCallback(cpu(bare.process.pid()).minus(cpuBefore), base, seconds);
            note("callbacks bare-vertx c=%d: %s, CPU %.0f us per callback", levels.get(i), describe(base), baseCpu);
            CallbackLoad.Result ours = gatewayResults.get(i);
            String name = "callbacks_c" + levels.get(i);
            figure(name, ours.perSecond(), "callbacks/s", base.perSecond());
            figure(name + "_p50", ours.p50Millis(), "ms", base.p50Millis());
            figure(name + "_p99", ours.p99Millis(), "ms", base.p99Millis());
            figure(name + "_cpu", gatewayCpu.get(i), "us/callback", baseCpu);
        }
    }

    /** The process's CPU time so far (user and system, all its threads). */
    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /**
     * CPU per accepted callback over a level: the process's CPU during the warm-up second and the
     * measured ones, shared out as if the warm-up went at the measured rate. Less sensitive than the
     * throughput to other processes on the machine taking the cores.
     */
    private static double cpuMicrosPerCallback(Duration cpu, CallbackLoad.Result result, long seconds) {
        double callbacks = result.accepted() * (seconds + 1.0) / seconds;
        return callbacks == 0 ? 0 : cpu.toNanos() / 1000.0 / callbacks;
    }

    private static String describe(CallbackLoad.Result result) {
        return String.format(Locale.ROOT, "%.0f accepted/s, p50 %.2f ms, p99 %.2f ms, refused %d, errors %d",
                result.perSecond(), result.p50Millis(), result.p99Millis(), result.refused(), result.errors());
    }

    // ---- 2. latency-bound -----------------------------------------------------------------

    private void latencyBound() throws Exception {
        long latency = Long.parseLong(env("BENCH_LATENCY_MS", "200"));
        int rows = Integer.parseInt(env("BENCH_LATENCY_ROWS", "1000"));
        DuitkuTwin slowTwin = new DuitkuTwin(twinSettings(latency), Clock.systemUTC());
        slowTwin.start();
        try (GatewayProcess gateway = gateway(work.resolve("gateway-latency"), slowTwin)) {
            gateway.start();
            double startup = gateway.startupSeconds();
            int warmup = Math.min(300, Integer.parseInt(env("BENCH_WARMUP_ROWS", "1000")));
            if (warmup > 0) {
                StringBuilder warm = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
                for (int i = 1; i <= warmup; i++) {
                    warm.append("bench-lw").append(i).append(",ONLINE,014,").append(6_400_000_000L + i).append(',')
                            .append(10_000 + i).append('\n');
                }
                long warmDropped = gateway.dropWithDoneMarker("warmup.csv", warm);
                long warmDone = awaitRows(gateway, "warmup.csv", warmup, GatewayProcess::isFinal, Duration.ofMinutes(3),
                        200);
                note("latency-bound: warm-up file of %d rows final in %.2f s (not counted)", warmup,
                        ((warmDone < 0 ? System.nanoTime() : warmDone) - warmDropped) / 1e9);
            }
            note("latency-bound: second gateway up in %.2f s; dropping %d ONLINE rows, twin latency %d ms per call",
                    startup, rows, latency);
            StringBuilder csv = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
            for (int i = 1; i <= rows; i++) {
                csv.append("bench-l").append(i).append(",ONLINE,014,").append(6_500_000_000L + i).append(',')
                        .append(10_000 + i).append('\n');
            }
            long dropped = gateway.dropWithDoneMarker("latency.csv", csv);
            long done = awaitRows(gateway, "latency.csv", rows, GatewayProcess::isFinal, Duration.ofMinutes(5), 50);
            double seconds = ((done < 0 ? System.nanoTime() : done) - dropped) / 1e9;
            long fin = done < 0 ? countRows(gateway, "latency.csv", GatewayProcess::isFinal) : rows;
            double bound = concurrency / (2 * latency / 1000.0);
            note("latency-bound: %d rows final in %.2f s; bound C/(2 x %.1f s) = %.1f payouts/s", fin, seconds,
                    latency / 1000.0, bound);
            figure("latency_bound", fin / seconds, "payouts/s", bound);
        } finally {
            slowTwin.stop();
        }
    }

    // ---- the gateway under test -----------------------------------------------------------

    /** The real jar at the benchmark's concurrency, reconciling at its default interval (not the tests'). */
    private GatewayProcess gateway(Path dir, DuitkuTwin twin) throws IOException, SQLException {
        Files.createDirectories(dir);
        GatewayProcess gateway = new GatewayProcess(dir, twin, gatewayJavaOptions.toArray(String[]::new))
                .env("PAYOUTS_CONCURRENCY", String.valueOf(concurrency))
                .env("PAYOUTS_RECONCILE_INTERVAL", "5s")
                .env("PAYOUTS_INSTANCE_ID", "bench");
        if (ledger.url() != null) {
            ledger.empty();
            gateway.env("PAYOUTS_DB_URL", ledger.url()).env("PAYOUTS_DB_USER", ledger.user())
                    .env("PAYOUTS_DB_PASSWORD", ledger.password());
        }
        return gateway;
    }

    /** Twin of the benchmarks; its own H2H callbacks come only after an hour. */
    private static DuitkuTwin.Settings twinSettings(long latencyMillis) {
        return new DuitkuTwin.Settings("127.0.0.1", 0, GatewayProcess.USER_ID, GatewayProcess.EMAIL,
                GatewayProcess.SECRET, 1_000_000_000_000_000L, latencyMillis, 40_000, 3_600_000);
    }

    /**
     * Polls {@code <fileName>.results.csv} until {@code rows} rows satisfy {@code done}; returns
     * System.nanoTime() when that was first seen, or -1 at the deadline.
     */
    private static long awaitRows(GatewayProcess gateway, String fileName, int rows, Predicate<Map<String, String>> done,
            Duration atMost, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (countRows(gateway, fileName, done) == rows) {
                return System.nanoTime();
            }
            Thread.sleep(pollMillis);
        }
        return -1;
    }

    /** Rows of the results file satisfying {@code done}; -1 while it is being replaced. */
    private static long countRows(GatewayProcess gateway, String fileName, Predicate<Map<String, String>> done) {
        try {
            return gateway.results(fileName).stream().filter(done).count();
        } catch (IOException | RuntimeException beingReplaced) {
            return -1;
        }
    }

    // ---- baselines: a bare Vert.x server in a fresh JVM ----------------------------------

    private record Baseline(Process process, int port, double startupSeconds, double rssMiB) {
    }

    private Baseline startBareVertx() throws Exception {
        int port = GatewayProcess.freePort();
        List<String> command = javaCommand(BareVertxReceiver.class, String.valueOf(port), GatewayProcess.EMAIL,
                GatewayProcess.SECRET, String.valueOf(GatewayProcess.USER_ID));
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("bare-vertx.log").toFile())).start();
        double startup = Health.secondsUntilUp("http://127.0.0.1:" + port + "/health", launched, process,
                Duration.ofSeconds(60));
        Thread.sleep(2000);
        double rss = ProcessMemory.rssMiB(process.pid());
        note("bare Vert.x baseline pid %d: health UP %.2f s after launch; VmRSS %.0f MiB 2 s later", process.pid(),
                startup, rss);
        return new Baseline(process, port, startup, rss);
    }

    private static List<String> javaCommand(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    // ---- output ---------------------------------------------------------------------------

    private void figure(String name, double value, String unit, double baseline) {
        System.out.printf(Locale.ROOT, "bench=%s db=%s value=%s unit=%s baseline=%s ratio=%.3f%n", name,
                ledger.name(), number(value), unit, number(baseline), value / baseline);
        System.out.flush();
    }

    private static String number(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static void note(String format, Object... args) {
        System.out.println("# " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static String field(String line, String name) {
        Matcher matcher = Pattern.compile(name + "=(\\S+)").matcher(line);
        if (!matcher.find()) {
            throw new IllegalStateException(name + " missing in " + line);
        }
        return matcher.group(1);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** PAYOUTS_CONCURRENCY, else the default in application.properties ({{env:PAYOUTS_CONCURRENCY:16}}). */
    private static int configuredConcurrency() throws Exception {
        String fromEnv = System.getenv("PAYOUTS_CONCURRENCY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Integer.parseInt(fromEnv.trim());
        }
        Matcher matcher = Pattern.compile("(?m)^\\s*payouts\\.work\\.concurrency\\s*=\\s*(.+)$")
                .matcher(Files.readString(Path.of("application.properties")));
        if (matcher.find()) {
            String value = matcher.group(1).trim();
            Matcher placeholder = Pattern.compile("\\{\\{env:[A-Z_]+:(\\d+)}}").matcher(value);
            return Integer.parseInt(placeholder.matches() ? placeholder.group(1) : value);
        }
        return 16;
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB RAM")
                    .findFirst().orElse("? RAM");
        } catch (Exception e) {
            return "? RAM";
        }
    }
}
