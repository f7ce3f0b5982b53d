package id.camelpayouts.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.twin.DuitkuTwin;
import id.camelpayouts.twin.TwinFault;

/**
 * The real jar against a twin that misbehaves on about 10% of all calls: server errors before and
 * after executing, answers too late (timeouts), connections dropped before and after executing,
 * and "do not retry" (68) answers to executed transfers. The same invariants as after a crash.
 */
class ProviderFaultsIT {

    static final int FILE_ROWS = 1000;
    static final int MESSAGES = 100;
    DuitkuTwin twin;
    GatewayProcess gateway;

    @AfterEach
    void stop() throws Exception {
        gateway.kill();
        twin.stop();
    }

    @Test
    void tenPercentOfCallsMisbehaveAndStillNothingIsPaidTwiceOrLost() throws Exception {
        twin = new DuitkuTwin(GatewayProcess.twinSettings(2, 2_500), Clock.systemUTC());
        twin.start();
        twin.faults().random(0.10, List.of(TwinFault.values()));
        gateway = new GatewayProcess(Files.createTempDirectory(Path.of("target"), "faults"), twin,
                "-Dpayouts.provider.timeout=1500ms", "-Dpayouts.reconcile.not-found-grace=2s",
                "-Dpayouts.inquiry.backoff=200ms,500ms,1s", "-Dpayouts.files.settle-time=300ms");
        gateway.start();
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= FILE_ROWS; i++) {
            csv.append("fault-f").append(i).append(",014,").append(8000000000L + i).append(',').append(10_000 + i)
                    .append('\n');
        }
        long started = System.currentTimeMillis();
        gateway.drop("payouts.csv", csv);
        gateway.send(IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "{\"reference\":\"fault-q" + i
                + "\",\"bankCode\":\"014\",\"accountNumber\":\"" + (9000000000L + i) + "\",\"amount\":"
                + (20_000 + i) + "}").toList());

        Map<String, Map<String, String>> finals = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            gateway.results("payouts.csv").forEach(row -> finals.put(row.get("reference"), row));
            return finals.values().stream().filter(GatewayProcess::isFinal).count() == FILE_ROWS;
        });
        finals.putAll(gateway.finalOutcomes("fault-q", MESSAGES, Duration.ofSeconds(120)));

        CrashRecoveryIT.Invariants.check("faults", twin, finals, FILE_ROWS + MESSAGES, started, "faultRate=0.10");
    }
}
