package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

/**
 * GET /api/payouts/{reference}/history: every change, oldest first, with what caused it. A
 * transfer answered TO is the worker's to send and leave PENDING, and the status inquiry's to
 * settle; an H2H transfer is settled by the provider's callback; the intake names the API key
 * that submitted the payout.
 */
@SuppressWarnings("unchecked")
class PayoutHistoryTest extends GatewayTestSupport {

    @Test
    void aTransferAnsweredTimedOutIsTheWorkersAndThenTheStatusInquirys() {
        String reference = reference("hist-to");
        // Duitku's sandbox account whose transfer answers TO: PENDING, then SUCCEEDED by status inquiry
        assertThat(post("/api/payouts", instruction(reference, "8760673561", 50000), SUBMITTER_KEY).status())
                .isEqualTo(202);
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);

        Response answer = get("/api/payouts/" + reference + "/history", READER_KEY);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).containsEntry("reference", reference);
        List<Map<String, Object>> entries = (List<Map<String, Object>>) answer.json().get("entries");

        assertThat(entries.get(0)).containsEntry("cause", "intake").containsEntry("by", "submitter")
                .containsEntry("from", null).containsEntry("to", "PENDING").containsEntry("detail", "received");
        assertThat(entries).allSatisfy(entry -> assertThat(entry).containsOnlyKeys("at", "from", "to", "cause", "by",
                "code", "description", "note", "conflict", "detail"));
        assertThat(entries).extracting(entry -> (String) entry.get("at")).isSorted();
        Map<String, Object> sent = entries.stream().filter(e -> "transfer sent".equals(e.get("detail"))).findFirst()
                .orElseThrow();
        assertThat(sent).containsEntry("cause", "worker").containsEntry("by", null);
        Map<String, Object> timedOut = entries.get(entries.indexOf(sent) + 1);
        assertThat(timedOut).containsEntry("cause", "worker").containsEntry("code", "TO")
                .containsEntry("from", "PENDING").containsEntry("to", "PENDING");
        Map<String, Object> settled = entries.get(entries.size() - 1);
        assertThat(settled).containsEntry("cause", "status-inquiry").containsEntry("from", "PENDING")
                .containsEntry("to", "SUCCEEDED").containsEntry("code", "00").containsEntry("conflict", null);
        assertThat(settled.get("description")).isNotNull();
        // the causes in order: intake, then the worker's, then the status inquiry's
        List<String> causes = entries.stream().map(entry -> (String) entry.get("cause")).distinct().toList();
        assertThat(causes).containsExactly("intake", "worker", "status-inquiry");
        // every line's "from" is the line before's "to"
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).get("from")).isEqualTo(entries.get(i - 1).get("to"));
        }
    }

    @Test
    void anH2hTransferIsSettledByTheProvidersCallback() {
        String reference = reference("hist-h2h");
        post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"H2H\",\"bankCode\":\"009\","
                + "\"accountNumber\":\"8760673466\",\"amount\":60000000}");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        List<Map<String, Object>> entries = (List<Map<String, Object>>) get("/api/payouts/" + reference + "/history",
                READER_KEY).json().get("entries");
        assertThat(entries.get(0)).containsEntry("cause", "intake").containsEntry("by", "default");
        assertThat(entries.get(entries.size() - 1)).containsEntry("cause", "callback").containsEntry("to", "SUCCEEDED")
                .containsEntry("detail", "succeeded by callback");
    }

    @Test
    void anUnknownReferenceHasNoHistory() {
        assertThat(get("/api/payouts/never-seen/history", READER_KEY).status()).isEqualTo(404);
        assertThat(get("/api/payouts/never-seen/history", READER_KEY).json())
                .containsEntry("error", "no payout with this reference");
    }
}
