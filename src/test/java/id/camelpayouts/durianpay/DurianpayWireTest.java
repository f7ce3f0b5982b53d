package id.camelpayouts.durianpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.TestPayouts;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * What reaches Durianpay over HTTP (camel-http, as durianpay-call-send sends it): the bytes whose
 * SHA-256 the X-SIGNATURE covers, also for text beyond ASCII (a holder's name).
 */
class DurianpayWireTest {

    @Test
    void theSignatureCoversTheBytesSentAlsoBeyondAscii() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<Headers> headers = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.set(exchange.getRequestBody().readAllBytes());
            headers.set(exchange.getRequestHeaders());
            byte[] answer = "{\"responseCode\":\"2021800\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        DurianpayClient client = new DurianpayClient("key", "secret", "merchant",
                PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem"), "client_credentials",
                Clock.systemUTC());
        client.storeToken(Map.of("accessToken", "tok", "expiresIn", "900"));
        PayoutInstruction instruction = new InstructionParser().parse(Map.of("reference", "wire-1", "provider",
                "durianpay", "bankCode", "014", "accountNumber", "1234567890", "amount", 50000, "purpose",
                "Gaji Désember – bonus 年")).instruction();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").bean(client, "sign")
                            .toD("http://127.0.0.1:" + server.getAddress().getPort()
                                    + "${variable.durianpayPath}?httpMethod=POST&throwExceptionOnFailure=false");
                }
            });
            context.start();
            context.createProducerTemplate().send("direct:send", exchange -> {
                exchange.setVariable("durianpayPath", "/v1.0/transfer-interbank");
                exchange.setVariable("durianpayBody", client.transfer(TestPayouts.of(instruction, null,
                        "Désirée Ñúñez – 年")));
            });
        } finally {
            server.stop(0);
        }
        String body = new String(received.get(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"beneficiaryAccountName\":\"Désirée Ñúñez – 年\"");
        assertThat(body).as("Durianpay's transfer documents no field for a purpose").doesNotContain("Gaji")
                .doesNotContain("additionalInfo");
        assertThat(headers.get().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(headers.get().getFirst("Authorization")).isEqualTo("Bearer tok");
        assertThat(headers.get().getFirst("X-PARTNER-ID")).isEqualTo("key");
        assertThat(headers.get().getFirst("CHANNEL-ID")).isEqualTo("95221");
        assertThat(headers.get().getFirst("X-EXTERNAL-ID")).matches("\\d{1,36}");
        assertThat(headers.get().getFirst("X-TIMESTAMP")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00");
        assertThat(headers.get().getFirst("X-SIGNATURE")).isEqualTo(SnapSignature.request("secret", "POST",
                "/v1.0/transfer-interbank", "tok", body, headers.get().getFirst("X-TIMESTAMP")));
    }
}
