package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Slow senders on the API's and callbacks' port: a connection that sends nothing, one that stops
 * half way through its headers, and a body sent a byte at a time are each closed, not held for
 * ever (each held a socket and a file descriptor of the gateway's; thousands of them would take
 * the last one from its ledger, inbox and broker).
 */
class HttpTimeLimitsTest extends GatewayTestSupport {

    HttpTimeLimitsTest() {
        System.setProperty("payouts.http.idle-timeout", "1s");
        System.setProperty("payouts.http.request-timeout", "3s");
    }

    @AfterAll
    void forgetLimits() {
        System.clearProperty("payouts.http.idle-timeout");
        System.clearProperty("payouts.http.request-timeout");
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(closedWithin(socket, Duration.ofSeconds(6))).isTrue();
        }
    }

    @Test
    void aConnectionThatStopsHalfWayThroughItsHeadersIsClosed() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("POST /callbacks/durianpay HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedWithin(socket, Duration.ofSeconds(6))).isTrue();
        }
    }

    @Test
    void aBodySentAByteAtATimeIsClosedAndNothingIsRecorded() throws Exception {
        String reference = reference("slow-body");
        byte[] body = instruction(reference, "8760673566", 50000).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/payouts HTTP/1.1\r\nHost: x\r\nX-API-Key: " + API_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long began = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < body.length - 1 && !closed; i++) { // never the last byte
                try {
                    out.write(body[i]);
                    out.flush();
                } catch (IOException reset) {
                    closed = true;
                }
                Thread.sleep(300); // under the idle timeout: only the request timeout can end it
                closed = closed || Duration.ofNanos(System.nanoTime() - began).compareTo(Duration.ofSeconds(10)) > 0
                        || closedWithin(socket, Duration.ofMillis(1));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("closed by the request timeout")
                    .isLessThan(Duration.ofSeconds(8));
        }
        assertThat(ledger.find(reference)).isNull();
    }

    /**
     * The short limits leave a normal request alone. The idle timeout counts the time the gateway
     * takes to answer too (nothing is read or written meanwhile): on a machine loaded by other
     * processes a request may take the 1 s set here, and its connection is then closed by that
     * rule, not wrongly. Such a close is accepted only once the idle timeout has passed, and the
     * request is sent again (a fresh reference) on a new connection.
     */
    @Test
    void aNormalRequestOnAKeptAliveConnectionIsAnswered() throws IOException {
        for (int attempt = 1; ; attempt++) {
            String reference = reference("after-slow");
            long sent = System.nanoTime();
            Response answer;
            try {
                answer = post("/api/payouts", instruction(reference, "8760673566", 50000));
            } catch (IllegalStateException closed) {
                Duration waited = Duration.ofNanos(System.nanoTime() - sent);
                assertThat(closed).hasRootCauseInstanceOf(IOException.class);
                assertThat(waited).as("closed %s after the request was sent, before the idle timeout", waited)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                assertThat(attempt).as("requests closed by the idle timeout").isLessThan(5);
                continue;
            }
            assertThat(answer.status()).isEqualTo(202);
            assertThat(awaitFinal(reference).getStatus()).isEqualTo("SUCCEEDED");
            return;
        }
    }

    private Socket connect() throws IOException {
        return new Socket(uri("/").getHost(), uri("/").getPort());
    }

    /** Whether the server closed the connection within the time (reading answers nothing else). */
    private static boolean closedWithin(Socket socket, Duration time) throws IOException {
        socket.setSoTimeout((int) Math.max(1, time.toMillis()));
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                int read = in.read();
                if (read < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
