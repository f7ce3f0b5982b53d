package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the inbox refuses, and how: each refused file goes to error/ with a note saying why, without
 * its content reaching the note or the log, and without delaying the files beside it.
 */
class InboxRefusalsTest extends GatewayTestSupport {

    final CapturedLog log = CapturedLog.attach("inbox-refusals-capture");

    @AfterAll
    void detachLog() {
        log.detach();
    }

    @Test
    void aCsvWithoutAHeaderRowIsRefusedWithoutEchoingItsFirstRow() throws Exception {
        String name = "no-header-" + System.nanoTime() % 100000 + ".csv";
        drop(name, "nh-1,014,8760673566123,Siti Rahayu,50000\nnh-2,014,8760673566124,Budi,60000\n");

        String why = awaitRefused(name);
        assertThat(why).contains("the first row is not a header")
                .contains("reference, bankCode, accountNumber, amount");
        assertThat(why + String.join("\n", log.lines())).doesNotContain("8760673566123").doesNotContain("Siti")
                .doesNotContain("nh-1");
    }

    @Test
    void aSymbolicLinkInTheInboxIsMovedToErrorWithoutBeingRead() throws Exception {
        Path elsewhere = Files.createDirectories(workDir.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("private.csv"), "host-secret-7d1e\n");
        String name = "link-" + System.nanoTime() % 100000 + ".csv";
        Files.createDirectories(inbox);
        Files.createSymbolicLink(inbox.resolve(name), target.toAbsolutePath());

        String why = awaitRefused(name);
        assertThat(why).contains("a symbolic link");
        assertThat(Files.isSymbolicLink(inbox.resolve("error").resolve(name))).as("the link itself moved").isTrue();
        assertThat(Files.readString(target)).as("the target untouched").isEqualTo("host-secret-7d1e\n");
        assertThat(why + String.join("\n", log.lines())).doesNotContain("host-secret-7d1e");
    }

    @Test
    void anEmptyFileIsRefusedAtOnceAndDelaysNothing() throws Exception {
        String empty = "empty-" + System.nanoTime() % 100000 + ".csv";
        drop(empty, "");
        Thread.sleep(1500); // the inbox has seen it
        String normal = "beside-empty-" + System.nanoTime() % 100000 + ".csv";
        String reference = reference("beside-empty");
        long dropped = System.nanoTime();
        drop(normal, "reference,bankCode,accountNumber,amount\n" + reference + ",014,8760673566,50000\n");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledger.find(reference) != null);
        assertThat(Duration.ofNanos(System.nanoTime() - dropped)).as("taken in promptly")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(awaitRefused(empty)).contains("the file is empty");
        assertThat(inbox.resolve(empty)).doesNotExist();
        assertThat(awaitFinal(reference).getStatus()).isEqualTo("SUCCEEDED");
    }

    /** Waits until the file is in error/ with its note, and returns the note. */
    private String awaitRefused(String name) throws IOException {
        Path note = inbox.resolve("error").resolve(name + ".why.txt");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(note) && Files.exists(inbox.resolve("error").resolve(name),
                        java.nio.file.LinkOption.NOFOLLOW_LINKS));
        return Files.readString(note);
    }

    private void drop(String name, String content) throws IOException {
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
    }
}
