package id.camelpayouts.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import id.camelpayouts.twin.DuitkuTwin;

/**
 * The real jar ({@code target/camel-payouts.jar}, run from the repository root) as a child process,
 * configured only by environment variables, its Duitku calls going to a twin in the harness JVM.
 */
final class GatewayRun implements AutoCloseable {

    static final String EMAIL = "ops@example.com";
    static final long USER_ID = 4242;
    static final String SECRET = "bench-secret-7c3";
    static final String API_KEY = "bench-key";

    final Path work;
    final int httpPort = freePort();
    final int managementPort = freePort();
    private final DuitkuTwin twin;
    private final int concurrency;
    private final List<String> javaOptions;
    private Process process;

    GatewayRun(Path work, DuitkuTwin twin, int concurrency, List<String> javaOptions) {
        this.work = work;
        this.twin = twin;
        this.concurrency = concurrency;
        this.javaOptions = javaOptions;
    }

    static DuitkuTwin.Settings twinSettings(long latencyMillis, long callbackDelayMillis) {
        return new DuitkuTwin.Settings("127.0.0.1", 0, USER_ID, EMAIL, SECRET, 1_000_000_000_000_000L, latencyMillis,
                40_000, callbackDelayMillis);
    }

    /** Launches the jar; returns the seconds from launch to /observe/health reporting UP. */
    double start() throws Exception {
        Files.createDirectories(work);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", "target/camel-payouts.jar"));
        ProcessBuilder launch = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("gateway.log").toFile()));
        Map<String, String> env = launch.environment();
        env.put("PAYOUTS_TWIN", "false");
        env.put("DUITKU_BASE_URL", twin.baseUrl());
        env.put("DUITKU_CASHOUT_URL", twin.cashOutUrl());
        env.put("DUITKU_USER_ID", String.valueOf(USER_ID));
        env.put("DUITKU_EMAIL", EMAIL);
        env.put("DUITKU_SECRET_KEY", SECRET);
        env.put("PAYOUTS_API_KEY", API_KEY);
        env.put("PAYOUTS_HTTP_HOST", "127.0.0.1");
        env.put("PAYOUTS_HTTP_PORT", String.valueOf(httpPort));
        env.put("PAYOUTS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("PAYOUTS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("PAYOUTS_TWIN_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_TWIN_DURIANPAY_PORT", String.valueOf(freePort()));
        env.put("PAYOUTS_DATA_DIR", work.resolve("data").toString());
        env.put("PAYOUTS_INBOX", work.resolve("inbox").toString());
        env.put("PAYOUTS_OUTBOX", work.resolve("outbox").toString());
        env.put("PAYOUTS_INSTANCE_ID", "bench");
        env.put("PAYOUTS_CONCURRENCY", String.valueOf(concurrency));
        long launched = System.nanoTime();
        process = launch.start();
        return Health.secondsUntilUp("http://127.0.0.1:" + managementPort + "/observe/health", launched, process,
                Duration.ofSeconds(120));
    }

    long pid() {
        return process.pid();
    }

    double rssMiB() {
        return ProcessMemory.rssMiB(process.pid());
    }

    /** Writes the file beside the inbox and moves it in atomically; returns System.nanoTime() of the move. */
    long drop(String name, CharSequence content) throws IOException {
        Path inbox = work.resolve("inbox");
        Files.createDirectories(inbox);
        Path part = inbox.resolve("." + name + ".part");
        Files.writeString(part, content);
        long dropped = System.nanoTime();
        Files.move(part, inbox.resolve(name));
        return dropped;
    }

    List<Map<String, String>> results(String fileName) throws IOException {
        Path results = work.resolve("outbox").resolve(fileName + ".results.csv");
        if (!Files.exists(results)) {
            return List.of();
        }
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(results.toFile())) {
            return rows.readAll();
        }
    }

    /**
     * Polls {@code <fileName>.results.csv} until {@code rows} rows satisfy {@code done}; returns
     * System.nanoTime() when that was first seen, or -1 at the deadline.
     */
    long awaitRows(String fileName, int rows, Predicate<Map<String, String>> done, Duration atMost,
            long pollMillis) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, String>> results;
            try {
                results = results(fileName);
            } catch (IOException | RuntimeException beingReplaced) {
                results = List.of();
            }
            if (results.size() == rows && results.stream().allMatch(done)) {
                return System.nanoTime();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue());
            }
            Thread.sleep(pollMillis);
        }
        return -1;
    }

    long countRows(String fileName, Predicate<Map<String, String>> done) {
        try {
            return results(fileName).stream().filter(done).count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static boolean isFinal(Map<String, String> row) {
        return List.of("SUCCEEDED", "FAILED", "REJECTED").contains(row.get("status"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: Camel's graceful shutdown
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
