package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

@SuppressWarnings("unchecked")
class PayoutApiTest extends GatewayTestSupport {

    @Test
    void theReadmeExampleSucceeds() {
        Response accepted = post("/api/payouts",
                "{\"reference\":\"r1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000}");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json()).containsEntry("status", "PENDING").containsEntry("reference", "r1");

        awaitFinal("r1");
        Map<String, Object> outcome = get("/api/payouts/r1").json();
        assertThat(outcome).containsEntry("status", "SUCCEEDED").containsEntry("provider", "duitku")
                .containsEntry("method", "ONLINE").containsEntry("responseCode", "00")
                .containsEntry("accountName", "Test Account").containsEntry("amount", 50000)
                .containsKeys("providerReference", "updatedAt");
    }

    @Test
    void everyApiEndpointRequiresTheKey() {
        for (String path : List.of("/api/payouts/r1", "/api/balance", "/api/banks")) {
            assertThat(send(HttpRequest.newBuilder(uri(path)).GET()).status()).as(path).isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", "wrong").GET()).status())
                    .as(path).isEqualTo(401);
        }
        int before = twin.transfersExecuted();
        Response refused = send(HttpRequest.newBuilder(uri("/api/payouts"))
                .POST(HttpRequest.BodyPublishers.ofString(instruction(reference("nokey"), "8760673566", 50000))));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain(API_KEY);
        assertThat(twin.transfersExecuted()).isEqualTo(before);
    }

    @Test
    void aBadInstructionIsRejectedWithEveryProblemAndNothingIsRecorded() {
        Response rejected = post("/api/payouts",
                "{\"reference\":\"bad-1\",\"bankCode\":\"x\",\"amount\":1.5,\"colour\":\"red\"}");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json()).containsEntry("status", "REJECTED").containsEntry("reference", "bad-1");
        assertThat((List<String>) rejected.json().get("problems")).containsExactlyInAnyOrder("colour: unknown field",
                "bankCode: must be 3 or 4 digits", "accountNumber: required",
                "amount: must be a positive whole number of rupiah");
        assertThat(ledger.find("bad-1")).isNull();
        assertThat(post("/api/payouts", "not json").status()).isEqualTo(400);
    }

    @Test
    void aRepeatedReferenceReturnsTheExistingPayoutAndMovesMoneyOnce() throws Exception {
        String reference = reference("repeat");
        String body = instruction(reference, "8760673566", 70000);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            posts.add(() -> post("/api/payouts", body));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> response : clients.invokeAll(posts)) {
            statuses.add(response.get().status());
        }
        clients.shutdown();
        assertThat(statuses).containsOnly(202, 200).filteredOn(s -> s == 202).hasSize(1);

        Payout payout = awaitFinal(reference);
        Response again = post("/api/payouts", body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).containsEntry("status", "SUCCEEDED");
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(1);
        assertThat(ledger.history(reference)).filteredOn(e -> e.contains("transfer sent")).hasSize(1);
    }

    @Test
    void theSameReferenceWithOtherContentIsAConflict() {
        String reference = reference("conflict");
        assertThat(post("/api/payouts", instruction(reference, "8760673566", 50000)).status()).isEqualTo(202);
        Response conflict = post("/api/payouts", instruction(reference, "8760673566", 90000));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json()).containsEntry("amount", 50000).containsKey("error");
        assertThat(awaitFinal(reference).getInstruction().amount()).isEqualTo(50000);
    }

    @Test
    void anUnknownReferenceIs404() {
        assertThat(get("/api/payouts/never-seen").status()).isEqualTo(404);
    }

    @Test
    void aHolderNameMismatchRejectsThePayoutBeforeAnyTransfer() {
        int before = twin.transfersExecuted();
        String reference = reference("name");
        post("/api/payouts", "{\"reference\":\"" + reference + "\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"8760673566\",\"accountName\":\"Someone Else\",\"amount\":50000}");
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(payout.getReason()).contains("does not match").contains("Someone Else");
        assertThat(twin.transfersExecuted()).isEqualTo(before);

        String matching = reference("name");
        post("/api/payouts", "{\"reference\":\"" + matching + "\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"8760673566\",\"accountName\":\"TEST  account\",\"amount\":50000}");
        assertThat(awaitFinal(matching).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    @Test
    void anAmountOverTheBanksOnlineLimitIsRejectedOnlineButGoesBiFastOnAuto() {
        int before = twin.transfersExecuted();
        String online = reference("limit");
        post("/api/payouts", "{\"reference\":\"" + online + "\",\"method\":\"ONLINE\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"1234567890\",\"amount\":60000000}"); // BCA allows 50M online
        Payout rejected = awaitFinal(online);
        assertThat(rejected.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(rejected.getReason())
                .isEqualTo("Rp60000000 is above the bank's online maximum of Rp50000000; use AUTO, BIFAST, LLG or RTGS");
        assertThat(twin.transfersExecuted()).isEqualTo(before);

        String auto = reference("limit");
        post("/api/payouts", instruction(auto, "1234567890", 60_000_000));
        Payout paid = awaitFinal(auto);
        assertThat(paid.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(paid.getMethod()).isEqualTo("BIFAST");
    }

    @Test
    void balanceFallsByWhatWasPaidAndTheBankListIsTheDocuments() {
        long before = ((Number) get("/api/balance?provider=duitku").json().get("balance")).longValue();
        String reference = reference("balance");
        post("/api/payouts", instruction(reference, "5550001111", 123000));
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        Map<String, Object> balance = get("/api/balance").json();
        assertThat(((Number) balance.get("balance")).longValue()).isEqualTo(before - 123000);
        assertThat(balance).containsEntry("provider", "duitku").containsKey("readAt");

        Map<String, Object> banks = get("/api/banks?provider=duitku").json();
        assertThat((List<Map<String, Object>>) banks.get("Banks")).hasSize(110)
                .contains(Map.of("bankCode", "014", "bankName", "Bank Central Asia", "maxAmountTransfer", "50000000"));
        assertThat(get("/api/banks?provider=durianpay").status()).isEqualTo(400);
    }

    @Test
    void anApiBatchCannotTakeTheNameOfAFileNotDroppedYet() {
        for (String name : List.of("payroll-2027-01.csv", "orders.JSON")) {
            String reference = reference("filebatch");
            Response refused = post("/api/payouts", "{\"reference\":\"" + reference + "\",\"bankCode\":\"014\","
                    + "\"accountNumber\":\"8760673566\",\"amount\":50000,\"batch\":\"" + name + "\"}");
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat((List<String>) refused.json().get("problems")).as(name)
                    .containsExactly("batch: must not end in .csv or .json (a dropped file's batch is named so)");
            assertThat(ledger.find(reference)).isNull();
        }
    }
}
