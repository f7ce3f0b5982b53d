package id.camelpayouts.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.twin.DuitkuTwin;

/**
 * The real jar, killed with SIGKILL three times while it pays a 2,000-row file and 200 queue
 * messages (during inquiries, between and after transfers, while H2H callbacks arrive), then
 * restarted on the same data directory. Approvals and a pause in the mix: the last 50 messages
 * wait for approval (payouts.approval.above) through the crashes until an approver approves their
 * batch, and the provider is paused before a crash and resumed after it (nothing is sent while it
 * is paused). At the twin: no account paid twice; in the results file and on the outcomes queue:
 * every instruction final.
 */
class CrashRecoveryIT {

    static final int FILE_ROWS = 2000;
    static final int MESSAGES = 200;
    /** Messages from this amount wait for approval: crash-q151 to crash-q200, 50 of them. */
    static final int APPROVAL_ABOVE = 20_151;
    static final int AWAITING_APPROVAL = 50;
    DuitkuTwin twin;
    GatewayProcess gateway;

    @AfterEach
    void stop() throws Exception {
        gateway.kill();
        twin.stop();
    }

    @Test
    void killedThreeTimesNothingIsPaidTwiceAndEveryInstructionEndsFinal() throws Exception {
        twin = new DuitkuTwin(GatewayProcess.twinSettings(3, 5_000), Clock.systemUTC());
        twin.start();
        gateway = new GatewayProcess(Files.createTempDirectory(Path.of("target"), "crash"), twin,
                "-Dpayouts.reconcile.not-found-grace=2s", "-Dpayouts.reconcile.callback-wait=5s",
                "-Dpayouts.files.settle-time=300ms", "-Dpayouts.approval.above=" + APPROVAL_ABOVE);
        StringBuilder csv = new StringBuilder("reference,method,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= FILE_ROWS; i++) {
            boolean h2h = i % 10 == 0; // settled by Duitku's callback
            csv.append("crash-f").append(i).append(h2h ? ",H2H,009," : ",ONLINE,014,").append(6000000000L + i)
                    .append(',').append(10_000 + i).append('\n');
        }
        gateway.start();
        gateway.drop("payouts.csv", csv);
        gateway.send(IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "{\"reference\":\"crash-q" + i
                + "\",\"bankCode\":\"014\",\"accountNumber\":\"" + (7000000000L + i) + "\",\"amount\":"
                + (20_000 + i) + ",\"batch\":\"crash-queue\"}").toList());

        long started = System.currentTimeMillis();
        pausedAcrossACrash(() -> twin.transfersExecuted() >= 200);
        approveTheQueueBatch();
        killWhen("during inquiries", () -> twin.inquiriesAnswered() >= 450);
        killWhen("amid transfers", () -> twin.transfersExecuted() >= 1200);
        killWhen("with callbacks in flight", () -> twin.transfersExecuted() >= 1700);

        Map<String, Map<String, String>> finals = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            gateway.results("payouts.csv").forEach(row -> finals.put(row.get("reference"), row));
            return finals.values().stream().filter(GatewayProcess::isFinal).count() == FILE_ROWS;
        });
        finals.putAll(gateway.finalOutcomes("crash-q", MESSAGES, Duration.ofSeconds(90)));

        Invariants.check("crash", twin, finals, FILE_ROWS + MESSAGES, started, "kills=4 approved=" + AWAITING_APPROVAL + " paused=1");
    }

    /** Paused amid transfers, nothing more is sent; killed and restarted, still paused; resumed, they go on. */
    private void pausedAcrossACrash(Callable<Boolean> when) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(when);
        assertThat(gateway.api("POST", "/api/providers/duitku/pause", "{\"note\":\"crash test\"}"))
                .containsEntry("status", 200).containsEntry("paused", true);
        Thread.sleep(2_000); // transfers claimed before the pause finish
        int transfers = twin.transfersExecuted();
        Thread.sleep(2_000);
        assertThat(twin.transfersExecuted()).as("nothing sent while paused").isEqualTo(transfers);
        gateway.kill();
        gateway.start();
        Thread.sleep(1_000);
        assertThat(twin.transfersExecuted()).as("still paused after the restart").isEqualTo(transfers);
        assertThat(gateway.api("POST", "/api/providers/duitku/resume", null)).containsEntry("status", 200);
        System.out.printf("crash: paused across a crash (transfers=%d)%n", transfers);
    }

    /** The messages from APPROVAL_ABOVE wait for approval (crashes or not) until their batch is approved. */
    private void approveTheQueueBatch() {
        int[] approved = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, Object> answer = gateway.api("POST", "/api/batches/crash-queue/approve", null);
            approved[0] += answer.get("changed") instanceof Integer changed ? changed : 0;
            return approved[0] == AWAITING_APPROVAL;
        });
        System.out.printf("crash: approved %d payouts (transfers=%d)%n", approved[0], twin.transfersExecuted());
    }

    private void killWhen(String moment, Callable<Boolean> condition) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(condition);
        gateway.kill();
        System.out.printf("crash: killed %s (transfers=%d)%n", moment, twin.transfersExecuted());
        gateway.start();
    }

    /** What must hold after any mishap, printed on one line. */
    static final class Invariants {
        private Invariants() {
        }

        static void check(String name, DuitkuTwin twin, Map<String, Map<String, String>> finals, int instructions,
                long startedMillis, String extra) {
            long fin = finals.values().stream().filter(GatewayProcess::isFinal).count();
            long succeeded = finals.values().stream().filter(row -> "SUCCEEDED".equals(row.get("status"))).count();
            System.out.printf("%s: instructions=%d transfers=%d duplicates=%d lost=%d final=%d succeeded=%d %s"
                    + " seconds=%d%n", name, instructions, twin.transfersExecuted(), twin.accountsPaidTwice(),
                    instructions - fin, fin, succeeded, extra, (System.currentTimeMillis() - startedMillis) / 1000);
            for (Map<String, String> row : finals.values()) {
                String disburseId = row.get("providerReference");
                int executed = disburseId == null || disburseId.isEmpty() ? 0 : twin.transfersExecuted(disburseId);
                assertThat(executed).as(row.toString()).isEqualTo("SUCCEEDED".equals(row.get("status")) ? 1 : 0);
            }
            assertThat(twin.accountsPaidTwice()).as("accounts paid twice").isZero();
            assertThat(fin).as("instructions final").isEqualTo(instructions);
            assertThat(twin.transfersExecuted()).as("transfers = succeeded payouts").isEqualTo((int) succeeded);
        }
    }
}
