package id.camelpayouts.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.twin.DuitkuTwin;
import id.camelpayouts.twin.TwinFault;

/**
 * The real jar against a twin that misbehaves on about 10% of all calls: server errors before and
 * after executing, answers too late (timeouts), connections dropped before and after executing,
 * and "do not retry" (68) answers to executed transfers. The same invariants as after a crash.
 *
 * <p>Approvals and a pause in the mix: the 100 queue messages (batch fault-queue) and 20 API
 * payouts (batch fault-api, submitted with the default key) are at least payouts.approval.above
 * and wait for approval. Part-way, the submitting key is refused as approver, a second key (the
 * checker's) rejects one API payout and approves the rest of their batch; the on-call key cancels
 * one. Later the on-call key pauses Duitku amid the file's transfers: once the transfers claimed
 * before the pause are through, nothing is sent while it is paused, though meanwhile five queue
 * payouts are cancelled, five rejected, the other 90 approved (and held), and five held rows of the
 * file cancelled. Resumed, everything ends final: the cancelled and rejected never reached the
 * twin, every approved payout that SUCCEEDED was paid exactly once.
 */
class ProviderFaultsIT {

    static final int FILE_ROWS = 1000;
    static final int MESSAGES = 100;
    static final int API_PAYOUTS = 20;
    /** The queue messages (20,001 up) and the API payouts (30,001 up) wait for approval; the file's rows (10,001 up) do not. */
    static final int APPROVAL_ABOVE = 20_001;
    /** Workers (payouts.concurrency): each may have one transfer claimed before the pause still in flight. */
    static final int WORKERS = 16;
    /** Added to each of the twin's answers while people act (see approveTheApiBatch). */
    static final long ACTING_LATENCY_MILLIS = 250;
    static final String CHECKER_KEY = "faults-checker-key-6Rt2";
    static final String ONCALL_KEY = "faults-oncall-key-3Vm8";
    static final String TRANSFER = "transfersandbox";
    static final String INQUIRY = "inquirysandbox";
    DuitkuTwin twin;
    GatewayProcess gateway;
    /** Expected terminal status of the payouts people stopped, by reference; their accounts, by reference. */
    final Map<String, String> stopped = new HashMap<>();
    final Map<String, String> accounts = new HashMap<>();
    final Set<String> approved = new TreeSet<>();
    String pauseFigures = "";

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
                "-Dpayouts.inquiry.backoff=200ms,500ms,1s", "-Dpayouts.files.settle-time=300ms",
                "-Dpayouts.approval.above=" + APPROVAL_ABOVE, "-Dpayouts.concurrency=" + WORKERS)
                .env("PAYOUTS_API_KEYS", "checker:" + CHECKER_KEY + ":approve,read;oncall:" + ONCALL_KEY
                        + ":operate,read");
        gateway.start();
        StringBuilder csv = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        for (int i = 1; i <= FILE_ROWS; i++) {
            accounts.put("fault-f" + i, String.valueOf(8000000000L + i));
            csv.append("fault-f").append(i).append(",014,").append(8000000000L + i).append(',').append(10_000 + i)
                    .append('\n');
        }
        long started = System.currentTimeMillis();
        // The queue's and the API's payouts first (they wait for approval), then the file: the
        // workers take payouts in the order they were taken in, so the approvals and the pause below
        // come amid the file's transfers however fast its rows are taken in.
        List<String> messages = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            accounts.put("fault-q" + i, String.valueOf(9000000000L + i));
            messages.add(instruction("fault-q" + i, 20_000 + i, "fault-queue"));
        }
        gateway.send(messages);
        for (int i = 1; i <= API_PAYOUTS; i++) {
            accounts.put("fault-a" + i, String.valueOf(9100000000L + i));
            GatewayProcess.Answer submitted = gateway.call(GatewayProcess.API_KEY, "POST", "/api/payouts",
                    instruction("fault-a" + i, 30_000 + i, "fault-api"));
            assertThat(submitted.status()).as(submitted.json().toString()).isEqualTo(202);
        }
        gateway.drop("payouts.csv", csv);

        approveTheApiBatch(() -> twin.calls(TRANSFER) >= 150);
        pauseAmidTransfers(() -> twin.calls(TRANSFER) >= 450);

        Map<String, Map<String, String>> finals = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            gateway.results("payouts.csv").forEach(row -> finals.put(row.get("reference"), row));
            return finals.values().stream().filter(GatewayProcess::isFinal).count() == FILE_ROWS;
        });
        finals.putAll(gateway.finalOutcomes("fault-q", MESSAGES, Duration.ofSeconds(120)));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            search(GatewayProcess.API_KEY, "referencePrefix=fault-a&limit=500").forEach(item -> finals.put(
                    String.valueOf(item.get("reference")), text(item)));
            return finals.keySet().stream().filter(reference -> reference.startsWith("fault-a"))
                    .map(finals::get).filter(GatewayProcess::isFinal).count() == API_PAYOUTS;
        });

        stoppedOnesNeverReachedTheTwin(finals);
        long approvedSucceeded = approvedOnesEndedFinal(finals);
        CrashRecoveryIT.Invariants.check("faults", twin, finals, FILE_ROWS + MESSAGES + API_PAYOUTS, started,
                "faultRate=0.10 awaitingApproval=" + (MESSAGES + API_PAYOUTS) + " approved=" + approved.size()
                        + " approvedSucceeded=" + approvedSucceeded + " rejected="
                        + stopped.values().stream().filter("REJECTED"::equals).count() + " cancelled="
                        + stopped.values().stream().filter("CANCELLED"::equals).count() + " " + pauseFigures);
    }

    /**
     * While they wait, nothing of theirs reaches the twin. The submitting key (the default one, which
     * has the approve role) is refused and nothing changes; the checker rejects fault-a1, the on-call
     * key cancels fault-a2, the checker approves the rest of the batch.
     */
    private void approveTheApiBatch(Callable<Boolean> when) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(when);
        // From here until the pause is over the twin answers a quarter second later: the file's
        // transfers go on while people act, but a loaded machine, slow to carry their actions, can
        // no longer see the whole file paid before the pause (about 30 payouts a second at most).
        twin.faults().addLatency(ACTING_LATENCY_MILLIS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> search(CHECKER_KEY,
                "status=AWAITING_APPROVAL&limit=500").size() == MESSAGES + API_PAYOUTS);
        for (String reference : accounts.keySet()) {
            if (!reference.startsWith("fault-f")) {
                assertThat(twin.calls(INQUIRY, accounts.get(reference)) + twin.calls(TRANSFER, accounts.get(reference)))
                        .as("calls for %s while it awaits approval", reference).isZero();
            }
        }
        GatewayProcess.Answer own = gateway.call(GatewayProcess.API_KEY, "POST", "/api/payouts/fault-a3/approve", null);
        assertThat(own.status()).as("the submitting key approves").isEqualTo(403);
        assertThat(gateway.call(GatewayProcess.API_KEY, "POST", "/api/batches/fault-api/approve", null).status())
                .as("the submitting key approves the batch").isEqualTo(403);
        assertThat(payout("fault-a3")).containsEntry("status", "AWAITING_APPROVAL");

        act(CHECKER_KEY, "fault-a1", "reject", "REJECTED");
        act(ONCALL_KEY, "fault-a2", "cancel", "CANCELLED");
        approveBatch("fault-api", API_PAYOUTS - 2);
        System.out.printf("faults: approved fault-api (transfers=%d)%n", twin.calls(TRANSFER));
    }

    /**
     * Duitku paused amid the file's transfers. A transfer claimed before the pause may still go (at
     * most one per worker); once they are through, nothing is sent (no inquiry, no transfer) for as
     * long as the pause lasts, while people stop, reject and approve payouts, and the payouts
     * approved meanwhile are held with the rest. Resumed, they go on.
     */
    private void pauseAmidTransfers(Callable<Boolean> when) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(when);
        GatewayProcess.Answer paused = gateway.call(ONCALL_KEY, "POST", "/api/providers/duitku/pause",
                "{\"note\":\"faults test\"}");
        assertThat(paused.status()).as(paused.json().toString()).isEqualTo(200);
        assertThat(paused.json()).containsEntry("paused", true);
        int transfersAtPause = twin.calls(TRANSFER);
        long pausedAt = System.currentTimeMillis();
        int[] last = {twin.calls(TRANSFER) + twin.calls(INQUIRY)};
        long[] changedAt = {System.currentTimeMillis()};
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int now = twin.calls(TRANSFER) + twin.calls(INQUIRY);
            if (now != last[0]) {
                last[0] = now;
                changedAt[0] = System.currentTimeMillis();
            }
            return System.currentTimeMillis() - changedAt[0] >= 1_000;
        });
        int transfers = twin.calls(TRANSFER);
        int inquiries = twin.calls(INQUIRY);
        assertThat(transfers - transfersAtPause).as("transfers claimed before the pause, in flight").isLessThanOrEqualTo(WORKERS);

        for (int i = 1; i <= 5; i++) {
            act(ONCALL_KEY, "fault-q" + i, "cancel", "CANCELLED");
            act(CHECKER_KEY, "fault-q" + (5 + i), "reject", "REJECTED");
        }
        approveBatch("fault-queue", MESSAGES - 10);
        List<String> heldRows = new ArrayList<>();
        // The file's remaining rows are held as the workers reach them, before the queue's approved
        // ones: on a loaded machine that takes more than a few seconds.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            heldRows.clear();
            search(ONCALL_KEY, "batch=payouts.csv&status=PENDING&limit=500").stream()
                    .filter(item -> "provider-paused".equals(item.get("hold")))
                    .forEach(item -> heldRows.add(String.valueOf(item.get("reference"))));
            return heldRows.size() >= 5 && search(ONCALL_KEY, "batch=fault-queue&status=PENDING&limit=500").stream()
                    .filter(item -> "provider-paused".equals(item.get("hold"))).count() == MESSAGES - 10;
        });
        for (String reference : heldRows.subList(0, 5)) {
            act(ONCALL_KEY, reference, "cancel", "CANCELLED");
        }
        Thread.sleep(Math.max(0, 3_000 - (System.currentTimeMillis() - changedAt[0])));
        int sentWhilePaused = twin.calls(TRANSFER) - transfers;
        assertThat(sentWhilePaused).as("transfers sent while paused").isZero();
        assertThat(twin.calls(INQUIRY)).as("inquiries sent while paused").isEqualTo(inquiries);
        long quietMillis = System.currentTimeMillis() - changedAt[0];
        twin.faults().addLatency(0);

        GatewayProcess.Answer resumed = gateway.call(ONCALL_KEY, "POST", "/api/providers/duitku/resume", null);
        assertThat(resumed.status()).as(resumed.json().toString()).isEqualTo(200);
        assertThat((Integer) resumed.json().get("released")).as("released").isGreaterThan(MESSAGES - 10);
        pauseFigures = String.format("paused=1 inFlightAtPause=%d sentWhilePaused=%d quietMillis=%d pausedMillis=%d"
                + " released=%s", transfers - transfersAtPause, sentWhilePaused, quietMillis,
                System.currentTimeMillis() - pausedAt, resumed.json().get("released"));
        System.out.printf("faults: %s (transfers=%d)%n", pauseFigures, transfers);
    }

    /** Cancelled and rejected payouts ended so, and the twin never saw a transfer of theirs (the waiting ones, not even an inquiry). */
    private void stoppedOnesNeverReachedTheTwin(Map<String, Map<String, String>> finals) {
        stopped.forEach((reference, status) -> {
            assertThat(finals.get(reference)).as(reference).containsEntry("status", status);
            assertThat(twin.calls(TRANSFER, accounts.get(reference))).as("transfers for %s", reference).isZero();
            if (!reference.startsWith("fault-f")) {
                assertThat(twin.calls(INQUIRY, accounts.get(reference))).as("inquiries for %s", reference).isZero();
            }
        });
    }

    /** Every approved payout ended SUCCEEDED or FAILED (paid once or not at all: Invariants); how many SUCCEEDED. */
    private long approvedOnesEndedFinal(Map<String, Map<String, String>> finals) {
        assertThat(approved).hasSize(MESSAGES + API_PAYOUTS - 12);
        approved.forEach(reference -> assertThat(finals.get(reference).get("status")).as(reference)
                .isIn("SUCCEEDED", "FAILED"));
        return approved.stream().filter(reference -> "SUCCEEDED".equals(finals.get(reference).get("status"))).count();
    }

    /** A person's action on one payout, answered 200 with the payout in {@code status}. */
    private void act(String key, String reference, String action, String status) throws Exception {
        GatewayProcess.Answer answer = gateway.call(key, "POST", "/api/payouts/" + reference + "/" + action,
                "{\"note\":\"faults test\"}");
        assertThat(answer.status()).as(reference + " " + action + ": " + answer.json()).isEqualTo(200);
        assertThat(answer.json()).containsEntry("status", status);
        stopped.put(reference, status);
    }

    /** The checker approves what of the batch still waits: {@code waiting} payouts. */
    private void approveBatch(String batch, int waiting) throws Exception {
        GatewayProcess.Answer answer = gateway.call(CHECKER_KEY, "POST", "/api/batches/" + batch + "/approve",
                "{\"note\":\"faults test\"}");
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(answer.json()).containsEntry("changed", waiting);
        @SuppressWarnings("unchecked")
        List<String> references = (List<String>) answer.json().get("references");
        approved.addAll(references);
    }

    private Map<String, Object> payout(String reference) throws Exception {
        return gateway.call(CHECKER_KEY, "GET", "/api/payouts/" + reference, null).json();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> search(String key, String query) throws Exception {
        GatewayProcess.Answer answer = gateway.call(key, "GET", "/api/payouts?" + query, null);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return (List<Map<String, Object>>) answer.json().get("items");
    }

    private static Map<String, String> text(Map<String, Object> outcome) {
        Map<String, String> row = new HashMap<>();
        outcome.forEach((key, value) -> row.put(key, value == null ? "" : String.valueOf(value)));
        return row;
    }

    private String instruction(String reference, long amount, String batch) {
        return "{\"reference\":\"" + reference + "\",\"bankCode\":\"014\",\"accountNumber\":\""
                + accounts.get(reference) + "\",\"amount\":" + amount + ",\"batch\":\"" + batch + "\"}";
    }
}
