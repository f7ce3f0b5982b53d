package id.camelpayouts.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The README's pictures of the console (docs/console/*.png), made from the real console: a
 * gateway with the sample files and a few payouts of every kind, each page saved whole at a
 * laptop's width. Runs only when asked, with the folder to write:
 * {@code mvn -o test -Dtest=ConsoleTour -Dconsole.tour=docs/console}.
 */
class ConsoleTour extends ConsoleBrowserSupport {

    private static final String FOLDER = System.getProperty("console.tour", "");

    ConsoleTour() {
        System.setProperty("payouts.approval.above", "50000000");
    }

    @AfterAll
    void forgetSettings() {
        System.clearProperty("payouts.approval.above");
    }

    @Test
    void picturesOfEveryPage() throws Exception {
        assumeTrue(!FOLDER.isEmpty(), "pictures only when asked: -Dconsole.tour=docs/console");
        Path folder = Path.of(FOLDER);
        Files.createDirectories(inbox);
        try (Stream<Path> samples = Files.list(Path.of("samples"))) {
            for (Path sample : samples.sorted().toList()) {
                Path partial = inbox.resolve("." + sample.getFileName() + ".part");
                Files.copy(sample, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, inbox.resolve(sample.getFileName()));
            }
        }
        String timeOut = "INV-2026-12-0042";
        String cashOut = "CASH-2026-12-0007";
        String large = "PAY-2026-12-0311";
        post("/api/payouts", instruction(timeOut, "8760673561", 1_250_000));
        post("/api/payouts", "{\"reference\":\"" + cashOut + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2010\","
                + "\"amount\":1000000,\"accountName\":\"Siti Rahayu\",\"phoneNumber\":\"081234567201\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Merdeka 1, Jakarta\"}");
        post("/api/payouts", instruction(large, "8760673566", 75_000_000));
        for (int i = 1; i <= 12; i++) {
            post("/api/payouts", instruction("ORD-2026-12-" + (1000 + i), i % 5 == 0 ? "8760673562" : "8760673566",
                    150_000L * i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(cashOut).isReviewRequired()
                && ledger.find(timeOut).isFinal());
        browser.signIn(API_KEY);

        picture("overview", "#/overview", By.cssSelector("#providers .balance"), folder);
        picture("payouts", "#/payouts", By.cssSelector("#results tbody tr"), folder);
        picture("payout", "#/payouts/" + cashOut, By.cssSelector("#timeline li[data-cause='callback']"), folder);
        picture("batch", "#/batches/payouts.csv", By.cssSelector("#batch-rows tbody tr"), folder);
        picture("review", "#/review", By.cssSelector("#review-pending tbody tr"), folder);
        browser.open("#/review");
        browser.click(By.cssSelector("#review-pending button[data-resolve='" + cashOut + "']"));
        new Select(browser.waitFor(d -> d.findElement(By.cssSelector("form.resolve-form select")))).selectByValue("FAILED");
        browser.type(By.cssSelector("form.resolve-form input[name='note']"), "Indomaret: token not collected");
        browser.fullPage(folder.resolve("review.png"));
        browser.driver().get(uri("/console/api.html").toString());
        browser.waitFor(d -> d.findElements(By.cssSelector("#swagger .opblock")).size() >= 10 ? true : null);
        browser.fullPage(folder.resolve("api.png"));
        assertThat(List.of("overview", "payouts", "payout", "batch", "review", "api"))
                .allSatisfy(name -> assertThat(folder.resolve(name + ".png")).isNotEmptyFile());
    }

    private void picture(String name, String fragment, By ready, Path folder) throws InterruptedException {
        browser.open(fragment);
        browser.driver().navigate().refresh();
        browser.waitFor(d -> d.findElements(ready).isEmpty() ? null : true);
        Thread.sleep(1500); // the page's other parts (balances, chart) fill in
        browser.fullPage(folder.resolve(name + ".png"));
    }
}
