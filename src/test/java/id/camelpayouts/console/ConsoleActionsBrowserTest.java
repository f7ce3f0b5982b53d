package id.camelpayouts.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import id.camelpayouts.ledger.Payout;

/**
 * The console's actions in a real browser, against the gateway and its twin: resolve a payout
 * flagged for review with a note, cancel an LLG payout waiting for Bank Indonesia's window,
 * approve a large payout with a second key after the submitting key is refused, pause and resume
 * a provider. Each checks the ledger too: what the person saw is what happened.
 */
class ConsoleActionsBrowserTest extends ConsoleBrowserSupport {

    /** From this amount a payout waits for an approver (a key other than the submitting one). */
    static final long APPROVAL_ABOVE = 5_000_000;
    private static final String[] SETTINGS = {"payouts.approval.above", "payouts.bi.opens", "payouts.bi.closes"};

    ConsoleActionsBrowserTest() {
        System.setProperty("payouts.approval.above", String.valueOf(APPROVAL_ABOVE));
        // Bank Indonesia's window moved away from now, whenever the test runs: an LLG payout waits for it
        boolean morning = LocalTime.now(ZoneId.of("Asia/Jakarta")).getHour() < 12;
        System.setProperty("payouts.bi.opens", morning ? "20:00" : "02:00");
        System.setProperty("payouts.bi.closes", morning ? "23:00" : "05:00");
    }

    @AfterAll
    void forgetSettings() {
        for (String property : SETTINGS) {
            System.clearProperty(property);
        }
    }

    @Test
    void resolvesAReviewRequiredPayoutWithANote() {
        // Duitku's sandbox: a cash out whose callback claims a failure that its signature does not
        // cover stays PENDING, flagged for a person
        String reference = reference("console-resolve");
        assertThat(post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2010\","
                + "\"amount\":1000000,\"accountName\":\"Siti Rahayu\",\"phoneNumber\":\"081234567201\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Merdeka 1, Jakarta\"}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isReviewRequired());
        browser.signIn(API_KEY);
        browser.open("#/review");

        browser.click(By.cssSelector("#review-pending button[data-resolve='" + reference + "']"));
        By form = By.cssSelector("form.resolve-form[data-reference='" + reference + "']");
        new Select(browser.waitFor(d -> d.findElement(form).findElement(By.name("status")))).selectByValue("FAILED");
        browser.type(By.cssSelector("form.resolve-form[data-reference='" + reference + "'] input[name='note']"),
                "Indomaret confirms the token was never collected (ticket 4711)");
        assertThat(browser.act(By.cssSelector("form.resolve-form[data-reference='" + reference + "'] button[type='submit']")))
                .isEqualTo("Payout " + reference + " resolved. It is FAILED now.");
        Payout resolved = ledger.find(reference);
        assertThat(resolved.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(resolved.isReviewRequired()).isFalse();
        browser.waitFor(d -> d.findElements(By.cssSelector("#review-pending tr[data-reference='" + reference + "']")).isEmpty());
        browser.open("#/payouts/" + reference);
        browser.textOnce(By.id("timeline"), text -> text.contains("(ticket 4711)"));
        assertThat(browser.text(By.cssSelector("#timeline li:last-child")))
                .contains("PENDING → FAILED operator by default")
                .contains("Indomaret confirms the token was never collected (ticket 4711)");
    }

    @Test
    void cancelsAnLlgPayoutWaitingForBankIndonesiasWindow() {
        int transfersBefore = twin.transfersExecuted();
        String reference = reference("console-cancel");
        assertThat(post("/api/payouts", "{\"reference\":\"" + reference + "\",\"method\":\"LLG\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"8760673566\",\"amount\":2500000}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> Payout.HOLD_BANK_WINDOW.equals(ledger.find(reference).getHold()));
        browser.signIn(API_KEY);
        browser.open("#/payouts/" + reference);

        assertThat(browser.text(By.cssSelector("#payout-facts .notice"))).contains("waiting for Bank Indonesia's window");
        browser.type(By.id("cancel-note"), "wrong account, paid by hand");
        assertThat(browser.act(By.id("cancel")))
                .isEqualTo("Payout " + reference + " cancelled: nothing will be sent. It is CANCELLED now.");
        browser.textOnce(By.id("payout-status"), "CANCELLED"::equals);
        assertThat(browser.text(By.id("no-actions"))).isEqualTo("CANCELLED is final: there is nothing to do.");
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(browser.text(By.cssSelector("#timeline li:last-child"))).contains("wrong account, paid by hand");
        assertThat(twin.transfersExecuted()).isEqualTo(transfersBefore);
    }

    @Test
    void approvesALargePayoutWithASecondKeyAfterTheSubmittingKeyIsRefused() {
        String reference = reference("console-approve");
        assertThat(post("/api/payouts", instruction(reference, "8760673566", APPROVAL_ABOVE + 1_500_000)).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isAwaitingApproval());

        // the key that submitted it has the approve role, but may not approve its own payout
        browser.signIn(API_KEY);
        browser.open("#/payouts/" + reference);
        assertThat(browser.text(By.id("payout-status"))).isEqualTo("AWAITING APPROVAL");
        assertThat(browser.text(By.id("payout-amount"))).isEqualTo("Rp 6.500.000");
        assertThat(browser.act(By.id("approve")))
                .startsWith("Payout " + reference + ": Refused (403): the key \"default\" may not do this")
                .endsWith("Nothing changed.");
        assertThat(ledger.find(reference).isAwaitingApproval()).isTrue();

        browser.signIn(CHECKER_KEY);
        browser.open("#/payouts/" + reference);
        browser.type(By.id("approve-note"), "checked against invoice INV-7781");
        assertThat(browser.act(By.id("approve")))
                .startsWith("Payout " + reference + " approved: it goes to the provider now.");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(browser.textOnce(By.id("timeline"), text -> text.contains("approval by checker")))
                .contains("checked against invoice INV-7781");
    }

    @Test
    void pausesAndResumesAProviderFromTheOverview() {
        browser.signIn(API_KEY);
        browser.open("#/overview");

        assertThat(browser.act(By.cssSelector("#providers button[data-action='pause-duitku']")))
                .isEqualTo("duitku paused: nothing is sent to it until it is resumed.");
        browser.textOnce(By.cssSelector("#providers [data-provider='duitku'] .badge"), "paused"::equals);
        assertThat(browser.act(By.cssSelector("#providers button[data-action='resume-duitku']")))
                .isEqualTo("duitku resumed: payouts waiting for it go on.");
        browser.textOnce(By.cssSelector("#providers [data-provider='duitku'] .badge"), "running"::equals);
    }
}
