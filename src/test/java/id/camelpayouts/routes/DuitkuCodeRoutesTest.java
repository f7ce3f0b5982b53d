package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import id.camelpayouts.ledger.Payout;

/**
 * Every code of Duitku's document, answered to every call, through the engine's routes: the status
 * and reason each leaves the payout with. The expectations are written here, apart from the code
 * table, from the document's words: only a refusal of the request fails a payout after a
 * money-moving call; a failure in a status answer counts only when it describes the transfer; a
 * callback's failure is checked before it counts.
 */
class DuitkuCodeRoutesTest extends DuitkuRouteTestSupport {

    static final Set<String> INQUIRY_DECLINED = DuitkuDocument.set("01,03,04,05,13,14,15,30,31,33,36,38,39,40,41,43,"
            + "51,52,76,88,90,-120,-123,-141,-148,-149,-161,-191,-192,-213,-510,-920,-930,-952");
    static final Set<String> TRANSFER_DECLINED = DuitkuCodeTableTest.REFUSALS_OF_A_TRANSFER;
    static final Set<String> CASHOUT_DECLINED = DuitkuCodeTableTest.REFUSALS_OF_A_CASH_OUT;
    static final Set<String> STATUS_FAILED = DuitkuDocument.set("01,03,04,05,13,14,15,30,31,33,36,38,39,40,41,43,"
            + "51,52,76,90,-141,-148,-149,-192,-510,-920");
    static final Set<String> STATUS_NOT_FOUND = DuitkuDocument.set("NF,-420");

    static Stream<String> documentedCodes() {
        return DuitkuDocument.allCodes().stream();
    }

    static Stream<Arguments> railsAndCodes() {
        return Stream.of("ONLINE", "LLG", "H2H").flatMap(rail -> documentedCodes().map(code -> Arguments.of(rail, code)));
    }

    @AfterEach
    void everyCallWasAnsweredAsScripted() {
        assertThat(duitku.unexpected()).as("calls nobody expected").isEmpty();
        assertThat(duitku.left()).as("answers nobody asked for").isZero();
    }

    @ParameterizedTest(name = "inquiry answered {0}")
    @MethodSource("documentedCodes")
    void inquiry(String code) {
        Payout payout = online();
        if ("00".equals(code)) {
            duitku.answer("inquiry", inquiryOk(payout)).answer("transfer", answer(payout, "00"));
        } else {
            duitku.answer("inquiry", code(code));
        }

        Payout after = work(payout);

        if ("00".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        } else if (INQUIRY_DECLINED.contains(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
            assertThat(after.getReason()).startsWith("Duitku refused the inquiry: ").endsWith("(" + code + ")");
            assertThat(after.getResponseCode()).isEqualTo(code);
        } else {
            // an inquiry moves no money: asked again after payouts.inquiry.backoff
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.getStage()).isEqualTo(Payout.Stage.NEW);
            assertThat(after.getReason()).startsWith("Duitku inquiry did not complete: ");
        }
        assertThat(duitku.sent("transfer")).isEqualTo("00".equals(code) ? 1 : 0);
    }

    @ParameterizedTest(name = "{0} transfer answered {1}")
    @MethodSource("railsAndCodes")
    void transfer(String rail, String code) {
        Payout payout = "ONLINE".equals(rail) ? online()
                : submit(rail, "H2H".equals(rail) ? "009" : "014", "5551" + (100000 + REFERENCES.get()), 60_000_000);

        if ("-510".equals(code)) {
            balanceCoversIt(); // else the payout waits for a top-up (OperatePayoutsTest)
        }
        Payout after = transferAnswered(payout, code);

        assertThat(duitku.sent("transfer")).as("sent once, whatever the answer").isEqualTo(1);
        assertThat(after.getResponseCode()).isEqualTo(code);
        if ("00".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        } else if ("80".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.getReason()).isEqualTo("Duitku is waiting for the bank (80); the outcome comes by callback");
        } else if (TRANSFER_DECLINED.contains(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
            assertThat(after.getReason()).startsWith("Duitku refused the transfer: ").endsWith("(" + code + ")");
        } else {
            assertPendingUntilTheStatusSays(after, code);
        }
    }

    @ParameterizedTest(name = "transfer without an answer: HTTP {0}")
    @ValueSource(ints = {0, 500, 502, 503, 504})
    void aTransferWithoutDuitkusAnswerIsUnknownWhateverTheBodySays(int httpStatus) {
        Payout payout = online();
        duitku.answer("inquiry", inquiryOk(payout));
        if (httpStatus == 0) {
            duitku.noAnswer("transfer");
        } else {
            duitku.answer("transfer", httpStatus, answer(payout, "-510")); // a proxy's body is not Duitku's answer
        }
        Payout after = work(payout);
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getReason()).startsWith("transfer outcome not known yet");
        assertThat(duitku.sent("transfer")).isEqualTo(1);
    }

    @ParameterizedTest(name = "cash out answered {0}")
    @MethodSource("documentedCodes")
    void cashOut(String code) {
        Payout payout = submit("CASHOUT", "2010", "081234567150", 100_000);
        duitku.answer("cashout", cashOutAnswer(payout, code));
        if ("-510".equals(code)) {
            balanceCoversIt();
        }

        Payout after = work(payout);

        assertThat(duitku.sent("cashout")).isEqualTo(1);
        if (Set.of("00", "80").contains(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.getReason()).startsWith("token issued; the outcome comes by Duitku's callback");
        } else if (CASHOUT_DECLINED.contains(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
            assertThat(after.getReason()).startsWith("Duitku refused the cash out: ").endsWith("(" + code + ")");
        } else {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.getReason()).startsWith("cash-out outcome not known yet (").contains("(" + code + ")")
                    .endsWith("waiting for Duitku's callback");
        }
        if (Payout.PENDING.equals(after.getStatus())) {
            // the reconciler's turn: Duitku documents no status inquiry for cash outs, nothing is asked
            Payout later = work(after);
            assertThat(duitku.sent("inquirystatus")).isZero();
            assertThat(later.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(later.getReason()).isEqualTo(after.getReason());
        }
    }

    @ParameterizedTest(name = "status answered {0}")
    @MethodSource("documentedCodes")
    void statusAnswer(String code) {
        // LD: unknown, but not one of the "do not retry" answers after which "not found" is no evidence
        Payout payout = transferAnswered(online(), "LD");
        duitku.answer("inquirystatus", answer(payout, code));

        Payout after = work(payout);

        assertThat(duitku.sent("inquirystatus")).isEqualTo(1);
        if ("00".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        } else if (STATUS_FAILED.contains(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
            assertThat(after.getReason()).startsWith("Duitku reports the transfer failed: ").endsWith("(" + code + ")");
        } else if (STATUS_NOT_FOUND.contains(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.getReason()).startsWith("Duitku has no record of the transfer: ")
                    .endsWith("waiting before treating it as failed");
        } else if ("80".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.getReason()).startsWith("Duitku is waiting for the bank (80)");
        } else {
            assertPendingUntilTheStatusSays(after, code);
        }
        assertThat(duitku.sent("transfer")).as("never sent again").isEqualTo(1);
    }

    /**
     * -510 and a balance that cannot be read (a server error, a refusal, no amount): nothing says the
     * payout would be paid after a top-up, so it fails as any refusal does; its claim is not undone
     * and the transfer is never sent again.
     */
    @ParameterizedTest(name = "-510, balance answered {0}")
    @ValueSource(strings = {"500", "-120", "no amount"})
    void insufficientFundsWithABalanceThatCannotBeReadFailsAndIsNeverSentAgain(String balanceAnswer) {
        Payout payout = online();
        if ("500".equals(balanceAnswer)) {
            duitku.answer("checkbalance", 500, Map.of("Message", "An error has occurred."));
        } else if ("-120".equals(balanceAnswer)) {
            duitku.answer("checkbalance", code("-120"));
        } else {
            duitku.answer("checkbalance", code("00"));
        }

        Payout after = transferAnswered(payout, "-510");

        assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(after.getHold()).isNull();
        assertThat(after.getReason()).startsWith("Duitku refused the transfer: ");
        assertThat(duitku.sent("checkbalance")).as("the balance was asked").isEqualTo(1);
        assertThat(work(after).getStatus()).isEqualTo(Payout.FAILED);
        assertThat(duitku.sent("transfer")).as("never sent again").isEqualTo(1);
    }

    @ParameterizedTest(name = "status {0} that does not describe the transfer")
    @ValueSource(strings = {"01", "-510", "76", "05"})
    void aFailureInAStatusAnswerAboutNothingOrSomethingElseIsNoEvidence(String code) {
        Payout bare = transferAnswered(online(), "TO");
        duitku.answer("inquirystatus", code(code)); // echoes neither account nor amount
        assertThat(work(bare).getStatus()).isEqualTo(Payout.PENDING);

        Payout other = transferAnswered(online(), "TO");
        Map<String, Object> aboutAnotherAccount = answer(other, code);
        aboutAnotherAccount.put("bankAccount", "5559999999");
        duitku.answer("inquirystatus", aboutAnotherAccount);
        Payout after = work(other);
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getReason()).contains("in an answer about another transfer");

        Map<String, Object> successForAnotherAmount = answer(other, "00");
        successForAnotherAmount.put("amountTransfer", 70000.0);
        duitku.answer("inquirystatus", successForAnotherAmount);
        assertThat(work(other).getStatus()).as("nor is a success about another amount").isEqualTo(Payout.PENDING);
    }

    @ParameterizedTest(name = "clearing callback {0}")
    @MethodSource("documentedCodes")
    void clearingCallback(String code) throws Exception {
        Payout payout = transferAnswered(submit("H2H", "009", "5552" + (100000 + REFERENCES.get()), 60_000_000), "80");
        int events = history(payout).size();
        boolean failureClaim = STATUS_FAILED.contains(code);
        if (failureClaim) {
            duitku.answer("inquirystatus", answer(payout, "80")); // Duitku: still with the bank
        }

        assertThat(callback("clearing", clearingCallback(payout, code))).isEqualTo("200 SUCCESS");

        if (failureClaim) {
            // handed to the workers, whose status inquiry answers: replaces the claim as the reason
            await().atMost(Duration.ofSeconds(10)).until(() -> duitku.sent("inquirystatus") == 1
                    && !String.valueOf(ledger.find(payout.getReference()).getReason())
                            .startsWith("Duitku's callback claims"));
        }
        Payout after = ledger.find(payout.getReference());
        if ("00".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(history(after)).last().isEqualTo("FINAL SUCCEEDED 00 succeeded by callback");
        } else {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(duitku.sent("inquirystatus")).as("a failure claim is checked with Duitku")
                    .isEqualTo(failureClaim ? 1 : 0);
            if (!failureClaim) {
                assertThat(history(after)).as("changes nothing").hasSize(events);
            }
        }
    }

    @ParameterizedTest(name = "cash-out callback {0}")
    @MethodSource("documentedCodes")
    void cashOutCallback(String code) throws Exception {
        Payout payout = submit("CASHOUT", "2011", "081234567150", 150_000);
        Map<String, Object> issued = cashOutAnswer(payout, "00");
        duitku.answer("cashout", issued);
        work(payout);
        int events = history(payout).size();
        boolean failureClaim = STATUS_FAILED.contains(code);

        assertThat(callback("cashout", cashOutCallback(payout, issued.get("disburseId").toString(), code)))
                .isEqualTo("200 SUCCESS");

        Payout after = ledger.find(payout.getReference());
        assertThat(duitku.sent("inquirystatus")).as("never asked about a cash out").isZero();
        if ("00".equals(code)) {
            assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        } else if (failureClaim) {
            // the claim's statusCode is not signed and nothing can confirm it: a person decides
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.isReviewRequired()).isTrue();
            assertThat(after.getResponseCode()).isEqualTo(code);
            assertThat(after.getReason()).startsWith("Duitku's cash-out callback says failed (" + code + ")")
                    .endsWith("held for review");
        } else {
            assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
            assertThat(after.isReviewRequired()).isFalse();
            assertThat(history(after)).hasSize(events);
        }
    }

    private void assertPendingUntilTheStatusSays(Payout after, String code) {
        assertThat(after.getStatus()).as("%s: the money may have moved", code).isEqualTo(Payout.PENDING);
        assertThat(after.getStage()).isEqualTo(Payout.Stage.TRANSFER_SENT);
        assertThat(after.getReason()).startsWith("transfer outcome not known yet (").contains("(" + code + ")")
                .endsWith("checking its status with Duitku");
    }
}
