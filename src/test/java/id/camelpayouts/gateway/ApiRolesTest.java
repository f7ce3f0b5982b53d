package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Each API key may do what its roles allow and nothing else: submit (POST /api/payouts), read
 * (every GET); the operate and approve roles reach neither. A key without the role is answered
 * 403 before anything is read or changed; no key or a wrong one 401. The history and the log name
 * the key, never show it.
 */
@SuppressWarnings("unchecked")
class ApiRolesTest extends GatewayTestSupport {

    static final CapturedLog LOG = CapturedLog.attach("roles-capture");

    @AfterAll
    void detach() {
        LOG.detach();
    }

    /** Every GET of the API, on things that exist (so a reader gets 200 from each). */
    private List<String> everyRead(String reference, String batch) {
        return List.of("/api/payouts", "/api/payouts?status=SUCCEEDED", "/api/payouts/" + reference,
                "/api/payouts/" + reference + "/history", "/api/batches", "/api/batches/" + batch,
                "/api/batches/" + batch + "/results", "/api/balance", "/api/banks", "/api/openapi.yaml");
    }

    @Test
    void aReaderReadsEverythingAndSubmitsNothing() {
        String batch = reference("roles-batch");
        String reference = reference("roles");
        assertThat(post("/api/payouts", instruction(reference, "8760673566", 50000).replace("}",
                ",\"batch\":\"" + batch + "\"}"), SUBMITTER_KEY).status()).isEqualTo(202);
        awaitFinal(reference);
        for (String path : everyRead(reference, batch)) {
            assertThat(get(path, READER_KEY).status()).as(path).isEqualTo(200);
        }

        int transfers = twin.transfersExecuted();
        String refused = reference("roles-reader");
        Response answer = post("/api/payouts", instruction(refused, "8760673566", 50000), READER_KEY);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json()).containsEntry("error", "this API key does not have the role 'submit'");
        assertThat(ledger.find(refused)).as("nothing recorded").isNull();
        assertThat(twin.transfersExecuted()).isEqualTo(transfers);
    }

    @Test
    void aSubmitterSubmitsAndReadsNothingNotEvenItsOwnPayout() {
        String reference = reference("roles-submit");
        Response accepted = post("/api/payouts", instruction(reference, "8760673566", 50000), SUBMITTER_KEY);
        assertThat(accepted.status()).isEqualTo(202);
        awaitFinal(reference);
        assertThat(ledger.find(reference).getSubmittedBy()).isEqualTo("submitter");
        assertThat(ledger.find(reference).getIntake()).isEqualTo("api");
        for (String path : everyRead(reference, "any")) {
            Response refused = get(path, SUBMITTER_KEY);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.json()).containsEntry("error", "this API key does not have the role 'read'");
        }
    }

    /**
     * A cash out's token and PIN are what the customer collects the money with. A key that may only
     * submit got them by posting any other instruction under the cash out's reference: the 409 (and
     * a repeat's 200) carried the existing payout's outcome whole. They reach only those who may read.
     */
    @Test
    void aSubmitterNeverGetsACashOutsTokenOrPinByRepeatingOrReusingItsReference() {
        String reference = reference("roles-cash");
        String cashOut = cashOut(reference);
        assertThat(get("/api/payouts/" + reference, READER_KEY).json()).containsKeys("token", "pin");

        Response reused = post("/api/payouts", instruction(reference, "8760673566", 50000), SUBMITTER_KEY);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json()).containsEntry("reference", reference).doesNotContainKeys("token", "pin");
        Response repeated = post("/api/payouts", cashOut, SUBMITTER_KEY);
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.json()).doesNotContainKeys("token", "pin");

        // nor does an operator's or approver's action on it (each answer names the payout)
        for (String action : List.of("cancel", "recheck", "resolve", "approve", "reject")) {
            String key = action.equals("approve") || action.equals("reject") ? APPROVER_KEY : OPERATOR_KEY;
            Response answer = post("/api/payouts/" + reference + "/" + action,
                    action.equals("resolve") ? "{\"status\":\"FAILED\",\"note\":\"n\"}" : "{}", key);
            assertThat(answer.body()).as(action + " " + answer.status()).doesNotContain("\"token\"", "\"pin\"");
        }
    }

    /**
     * Answers of /api name people, accounts and a cash out's token and PIN, and carried no
     * Cache-Control: a browser's disk cache or a proxy between the console and the gateway (which
     * does not know X-API-Key as a credential, as it knows Authorization) could keep them and hand
     * them on. Every /api answer, refusals included, now says no-store.
     */
    @Test
    void noApiAnswerMayBeStoredByABrowserOrAProxy() throws Exception {
        String reference = reference("nostore-cash");
        String cashOut = cashOut(reference);

        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String[] call : new String[][] {{"/api/payouts/" + reference, API_KEY, "200"},
                {"/api/payouts/" + reference + "/history", API_KEY, "200"}, {"/api/payouts?limit=5", API_KEY, "200"},
                {"/api/payouts/" + reference, "wrong-key", "401"}, {"/api/payouts/nostore-none", API_KEY, "404"},
                {"/api/whoami", API_KEY, "200"}, {"/api/no-such-path", API_KEY, "404"}}) {
            java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(uri(call[0]))
                    .header("X-API-Key", call[1]).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(call[0]).isEqualTo(Integer.parseInt(call[2]));
            assertThat(answer.headers().firstValue("Cache-Control")).as(call[0]).hasValue("no-store");
        }
        java.net.http.HttpResponse<String> submitted = client.send(java.net.http.HttpRequest.newBuilder(uri("/api/payouts"))
                .header("X-API-Key", API_KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(cashOut)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(submitted.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    /**
     * A key that may only submit reads nothing: not by posting another instruction under a
     * reference somebody else used (the 409 carried that payout's outcome: the beneficiary's name as
     * the bank knows it, the amount, the provider's reference, the reason), nor by repeating an
     * instruction. It learns that the reference is taken (409), or that its repeat was taken and
     * the payout's status (200); a key with read gets the payout by GET.
     */
    @Test
    void aSubmitterReadsNoOtherPayoutThroughAConflictOrARepeat() {
        String reference = reference("roles-taken");
        String theirs = instruction(reference, "8760673566", 50000);
        assertThat(post("/api/payouts", theirs).status()).isEqualTo(202);
        awaitFinal(reference);

        Response reused = post("/api/payouts", instruction(reference, "8760673567", 60000), SUBMITTER_KEY);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json()).containsEntry("reference", reference).containsKey("error")
                .doesNotContainKeys("accountName", "amount", "providerReference", "responseCode", "responseDesc",
                        "reason", "provider", "method", "status");
        Response repeated = post("/api/payouts", theirs, SUBMITTER_KEY);
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.json()).containsEntry("reference", reference).containsEntry("status", "SUCCEEDED")
                .doesNotContainKeys("accountName", "providerReference", "responseCode", "responseDesc", "reason");

        // a key that also reads gets the payout in both answers, as before
        Response read = post("/api/payouts", instruction(reference, "8760673567", 60000), API_KEY);
        assertThat(read.status()).isEqualTo(409);
        assertThat(read.json()).containsEntry("status", "SUCCEEDED").containsKeys("accountName", "amount", "error");
    }

    @Test
    void operatorsAndApproversNeitherSubmitNorRead() {
        String existing = reference("roles-existing");
        post("/api/payouts", instruction(existing, "8760673566", 50000));
        awaitFinal(existing);
        for (String key : List.of(OPERATOR_KEY, APPROVER_KEY)) {
            String refused = reference("roles-other");
            assertThat(post("/api/payouts", instruction(refused, "8760673566", 50000), key).status()).isEqualTo(403);
            assertThat(ledger.find(refused)).isNull();
            for (String path : everyRead(existing, "any")) {
                assertThat(get(path, key).status()).as(key + " " + path).isEqualTo(403);
            }
        }
    }

    @Test
    void withoutAKeyOrWithAWrongOneNothingIsAnswered() {
        String reference = reference("roles-nokey");
        for (String path : everyRead(reference, "any")) {
            assertThat(send(HttpRequest.newBuilder(uri(path)).GET()).status()).as(path).isEqualTo(401);
            assertThat(get(path, "not-a-key").status()).as(path).isEqualTo(401);
            // a configured key given by its hash is not the key: the hash itself opens nothing
            assertThat(get(path, "sha256:070f4b79456b4588e8dbd4a1a7a8e2e70ff265aff1ab85c484ff689d1810b2c1").status())
                    .as(path).isEqualTo(401);
        }
        assertThat(post("/api/payouts", instruction(reference, "8760673566", 50000), "not-a-key").status())
                .isEqualTo(401);
        assertThat(ledger.find(reference)).isNull();
    }

    @Test
    void theDefaultKeyHasEveryRoleInTheDevProfile() {
        String reference = reference("roles-default");
        assertThat(post("/api/payouts", instruction(reference, "8760673566", 50000)).status()).isEqualTo(202);
        awaitFinal(reference);
        for (String path : everyRead(reference, "none").subList(0, 5)) {
            assertThat(get(path).status()).as(path).isEqualTo(200);
        }
        List<Map<String, Object>> history = (List<Map<String, Object>>) get("/api/payouts/" + reference + "/history")
                .json().get("entries");
        assertThat(history.get(0)).containsEntry("by", "default");
    }

    @Test
    void theLogNamesARefusedKeyAndNeverShowsAKey() {
        get("/api/payouts", SUBMITTER_KEY);
        post("/api/payouts", instruction(reference("roles-log"), "8760673566", 50000), READER_KEY);
        assertThat(LOG.lines()).anyMatch(line -> line.contains("API key submitter refused (GET at api-payouts)"));
        assertThat(LOG.lines()).anyMatch(line -> line.contains("API key reader refused (POST at api-payouts)"));
        for (String key : List.of(API_KEY, READER_KEY, SUBMITTER_KEY, OPERATOR_KEY, APPROVER_KEY)) {
            assertThat(LOG.lines()).as(key).noneMatch(line -> line.contains(key));
        }
    }

    /** Submits a cash out at Pos Indonesia and waits until its token is there; returns its instruction. */
    private String cashOut(String reference) {
        String cashOut = "{\"reference\":\"" + reference + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2011\","
                + "\"amount\":150000,\"accountName\":\"Siti Rahayu\",\"phoneNumber\":\"081234567150\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Merdeka 1, Jakarta\"}";
        assertThat(post("/api/payouts", cashOut).status()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> get("/api/payouts/" + reference).json().get("token") != null);
        return cashOut;
    }
}
